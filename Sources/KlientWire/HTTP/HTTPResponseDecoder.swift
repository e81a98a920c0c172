/// Incremental HTTP/1.1 response decoder for the client side (RFC 9112).
///
/// A value-type state machine with no I/O: ``append(_:)`` received bytes, then
/// call ``next()`` until it returns nil (need more bytes). Bodies are streamed
/// as ``HTTPResponsePart/body(_:)`` pieces as they arrive, never buffered whole.
///
/// - Framing (RFC 9112 §6.3): no body for responses to HEAD (tell the decoder
///   with ``expectResponse(to:)``), for 204 and 304; otherwise chunked,
///   Content-Length, or — with neither — until the connection closes, which the
///   caller signals with ``finish()``. Interim 1xx responses (100 Continue,
///   103 Early Hints) are skipped. 101 Switching Protocols and a 2xx answer to
///   CONNECT end HTTP: `.head` is followed by `.upgrade(leftover)`.
/// - Pipelining: after `.end` on a persistent connection the next response is
///   parsed from the same bytes. After a response that closes the connection
///   (`Connection: close`, HTTP/1.0 without keep-alive, read-until-close),
///   further bytes are ignored and ``next()`` returns nil.
/// - Line endings: CRLF; a bare LF is accepted wherever a line ends (RFC 9112
///   §2.2), a bare CR is rejected. Obsolete line folding is rejected.
/// - Errors: ``HTTPParseError``; after one, the decoder keeps throwing it.
public struct HTTPResponseDecoder: Sendable {
    private var parser: HTTPMessageParser

    public init(limits: HTTPDecoderLimits = HTTPDecoderLimits()) {
        parser = HTTPMessageParser(role: .response, limits: limits)
    }

    public var limits: HTTPDecoderLimits { parser.limits }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 { parser.append(bytes) }

    /// Adds received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) { parser.append(bytes) }

    /// Records the method of a request sent on this connection, in sending
    /// order, so its response is framed right (a response to HEAD has no body,
    /// a 2xx to CONNECT is a tunnel). Responses with no recorded method are
    /// treated as answers to GET.
    public mutating func expectResponse(to method: HTTPMethod) { parser.expectResponse(to: method) }

    /// Signals that the peer closed the connection: ends a read-until-close body
    /// with `.end`; a message cut short makes ``next()`` throw
    /// ``HTTPParseError/truncatedMessage(_:)``. Closing between messages is not an error.
    public mutating func finish() { parser.finish() }

    /// The next part, or nil if more bytes (or ``finish()``) are needed, or if
    /// the connection is done (closed or upgraded).
    /// - Throws: ``HTTPParseError`` describing the first framing violation or exceeded limit.
    public mutating func next() throws(HTTPParseError) -> HTTPResponsePart? {
        switch try parser.next() {
        case nil: nil
        case .responseHead(let head)?: .head(head)
        case .requestHead?: preconditionFailure("response decoder produced a request head")
        case .body(let bytes)?: .body(bytes)
        case .end?: .end
        case .upgrade(let bytes)?: .upgrade(bytes)
        }
    }

    /// Whether the connection may carry another request: true between messages
    /// of a persistent connection (and before the first), false mid-message,
    /// after a response that closes the connection, after an upgrade or an error.
    public var isConnectionReusable: Bool { parser.isConnectionReusable }

    /// Trailer fields of the last chunked response, valid after its `.end`.
    public var trailers: HTTPHeaders { parser.trailers }

    /// Number of received bytes not yet decoded.
    public var bufferedByteCount: Int { parser.buffer.readableBytes }

    /// Removes and returns every buffered byte. Meant for after `.upgrade`, to
    /// collect bytes appended since; mid-message it desynchronises the decoder.
    public mutating func takeRemainingBytes() -> [UInt8] { parser.takeRemainingBytes() }
}
