/// One piece of a decoded HTTP response, in wire order:
/// `.head`, zero or more `.body`, then `.end` — or `.head` then `.upgrade`
/// for 101 Switching Protocols (and a 2xx answer to CONNECT).
public enum HTTPResponsePart: Sendable, Equatable {
    case head(HTTPResponseHead)
    /// Body bytes as they arrived; never empty. Chunked framing is removed.
    case body([UInt8])
    /// The message is complete; trailers, if any, are in ``HTTPResponseDecoder/trailers``.
    case end
    /// HTTP is over on this connection. The payload is every byte received after
    /// the head, untouched (e.g. the first WebSocket frame that arrived in the
    /// same read). Bytes appended later come from ``HTTPResponseDecoder/takeRemainingBytes()``.
    case upgrade([UInt8])
}
