/// Incremental HTTP/1.1 request decoder for the server side (RFC 9112).
///
/// A value-type state machine with no I/O: ``append(_:)`` received bytes, then
/// call ``next()`` until it returns nil (need more bytes). Bodies are streamed
/// as ``HTTPRequestPart/body(_:)`` pieces as they arrive.
///
/// - Framing (RFC 9112 §6.3): chunked or Content-Length; a request with
///   neither has no body. A Transfer-Encoding not ending in `chunked` is an error.
/// - Upgrade: after the `.end` of a request with `Connection: upgrade` and an
///   `Upgrade` field (``HTTPRequestHead/isUpgradeRequest``), the decoder pauses
///   (``isAwaitingUpgradeDecision``; ``next()`` returns nil) until the server
///   calls ``acceptUpgrade()`` — which returns the bytes received after the
///   request, untouched, for the new protocol — or ``declineUpgrade()`` to go
///   on reading HTTP.
/// - Pipelining: after `.end` on a persistent connection the next request is
///   parsed from the same bytes. After a request with `Connection: close` (or
///   HTTP/1.0 without keep-alive) further bytes are ignored.
/// - Line endings: CRLF; a bare LF is accepted wherever a line ends (RFC 9112
///   §2.2), a bare CR is rejected. Empty lines before a request line are
///   skipped (§2.2). Obsolete line folding is rejected.
/// - Errors: ``HTTPParseError``; after one, the decoder keeps throwing it. A
///   server answers 400 (431 for header limits, 413 for the body limit) and closes.
public struct HTTPRequestDecoder: Sendable {
    private var parser: HTTPMessageParser

    public init(limits: HTTPDecoderLimits = HTTPDecoderLimits()) {
        parser = HTTPMessageParser(role: .request, limits: limits)
    }

    public var limits: HTTPDecoderLimits { parser.limits }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 { parser.append(bytes) }

    /// Adds received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) { parser.append(bytes) }

    /// Signals that the client closed the connection; a request cut short makes
    /// ``next()`` throw ``HTTPParseError/truncatedMessage(_:)``.
    public mutating func finish() { parser.finish() }

    /// The next part, or nil if more bytes are needed, an upgrade decision is
    /// pending, or the connection is done.
    /// - Throws: ``HTTPParseError`` describing the first framing violation or exceeded limit.
    public mutating func next() throws(HTTPParseError) -> HTTPRequestPart? {
        switch try parser.next() {
        case nil: nil
        case .requestHead(let head)?: .head(head)
        case .responseHead?, .upgrade?: preconditionFailure("request decoder produced a response part")
        case .body(let bytes)?: .body(bytes)
        case .end?: .end
        }
    }

    /// Whether the decoder paused after an upgrade request, waiting for
    /// ``acceptUpgrade()`` or ``declineUpgrade()``.
    public var isAwaitingUpgradeDecision: Bool { parser.isAwaitingUpgradeDecision }

    /// Ends HTTP on this connection and returns every byte received after the
    /// upgrade request, untouched. Later bytes come from ``takeRemainingBytes()``.
    /// Precondition: ``isAwaitingUpgradeDecision``.
    public mutating func acceptUpgrade() -> [UInt8] { parser.acceptUpgrade() }

    /// Continues with HTTP after an upgrade request the server will not honour
    /// (RFC 9110 §7.8 lets it ignore `Upgrade`). Precondition: ``isAwaitingUpgradeDecision``.
    public mutating func declineUpgrade() { parser.declineUpgrade() }

    /// Whether another request may follow on this connection: true between
    /// messages of a persistent connection, false mid-request, after
    /// `Connection: close`, an upgrade or an error.
    public var isConnectionReusable: Bool { parser.isConnectionReusable }

    /// Trailer fields of the last chunked request, valid after its `.end`.
    public var trailers: HTTPHeaders { parser.trailers }

    /// Number of received bytes not yet decoded.
    public var bufferedByteCount: Int { parser.buffer.readableBytes }

    /// Removes and returns every buffered byte; meant for after ``acceptUpgrade()``.
    public mutating func takeRemainingBytes() -> [UInt8] { parser.takeRemainingBytes() }
}
