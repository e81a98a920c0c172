/// One piece of a decoded HTTP request, in wire order: `.head`, zero or more
/// `.body`, then `.end`.
public enum HTTPRequestPart: Sendable, Equatable {
    case head(HTTPRequestHead)
    /// Body bytes as they arrived; never empty. Chunked framing is removed.
    case body([UInt8])
    /// The request is complete; trailers, if any, are in ``HTTPRequestDecoder/trailers``.
    case end
}
