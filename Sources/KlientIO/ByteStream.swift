/// A reliable, ordered, bidirectional byte stream: a TCP or Unix socket, TLS
/// over one, or an in-memory pair in tests.
///
/// Concurrency contract: one reader task and one writer task may use a stream
/// at the same time; two concurrent readers (or two concurrent writers) are a
/// programming error. `close()` may be called from anywhere at any time and
/// makes pending and later operations fail.
public protocol ByteStream: AnyObject, Sendable {
    /// Reads at least one byte and at most `maxBytes`, waiting (without
    /// blocking a thread) until some arrive. Returns an empty array at end of
    /// stream (the peer half-closed).
    func read(maxBytes: Int) async throws -> [UInt8]

    /// Writes every byte, waiting while the peer is slow: this is where
    /// backpressure reaches the sender.
    func write(_ bytes: [UInt8]) async throws

    /// Writes several buffers as one contiguous byte sequence (a frame header
    /// and its payload, say). Streams that can avoid concatenating override
    /// it; the default joins the parts and calls ``write(_:)``.
    func write(contentsOf parts: [[UInt8]]) async throws

    /// Half-closes the sending side (TCP FIN; for TLS, close_notify then FIN).
    func shutdownWrite() async throws

    /// Closes the stream now and releases its descriptor. Idempotent.
    func close()
}

extension ByteStream {
    public func write(contentsOf parts: [[UInt8]]) async throws {
        if parts.count == 1 { return try await write(parts[0]) }
        var joined: [UInt8] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        try await write(joined)
    }
}
