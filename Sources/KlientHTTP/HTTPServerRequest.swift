import KlientIO
import KlientTLS
import KlientWire

/// A request as the server's handler sees it: head, complete body (bounded
/// by ``HTTPServer/Configuration/maxRequestBodySize``), peer and TLS facts.
public struct HTTPServerRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// The client's address (nil for Unix sockets without a peer name).
    public var peerAddress: SocketAddress?
    /// The TLS handshake, including the client certificate's CN and O.
    public var tls: TLSHandshakeInfo?

    public var method: HTTPMethod { head.method }
    public var target: String { head.target }
    public var headers: HTTPHeaders { head.headers }
    /// The target without its query.
    public var path: Substring { head.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }
}

/// What a handler answers.
public struct HTTPServerResponse: Sendable {
    public enum Body: Sendable {
        /// A complete body; `Content-Length` is set from it.
        case bytes([UInt8])
        /// A streamed body sent with chunked encoding; the closure writes chunks
        /// until it returns (end of body) or throws (the connection is closed).
        case stream(@Sendable (HTTPBodyWriter) async throws -> Void)
        /// Switch protocols: after the head (status 101) is sent, the closure
        /// owns the raw stream; `leftover` holds bytes already received.
        case upgrade(@Sendable (_ stream: any ByteStream, _ leftover: [UInt8]) async -> Void)
    }

    public var head: HTTPResponseHead
    public var body: Body

    public init(head: HTTPResponseHead, body: Body = .bytes([])) {
        self.head = head
        self.body = body
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.init(head: HTTPResponseHead(status: status, headers: headers), body: .bytes(body))
    }

    /// A plain-text response (`text/plain; charset=utf-8`).
    public static func text(_ status: Int, _ text: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }
}

/// Writes the chunks of a streamed response body. Each write waits until the
/// transport accepted the bytes (backpressure reaches the producer).
public struct HTTPBodyWriter: Sendable {
    let stream: any ByteStream

    /// The connection the body goes out on, for handlers that must be able
    /// to cut a long stream (closing it ends the response abruptly).
    public var connection: any ByteStream { stream }

    /// Sends one chunk (empty chunks are skipped: an empty chunk ends the body).
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        var out = HTTPChunkedEncoding.chunkPrefix(size: bytes.count)
        out.append(contentsOf: bytes)
        out.append(contentsOf: HTTPChunkedEncoding.chunkSuffix)
        try await stream.write(out)
    }

    public func write(_ text: String) async throws { try await write(Array(text.utf8)) }
}
