/// The unread rest of one received chunk, for streams whose messages can be
/// larger than what a `read(maxBytes:)` asks for (WebSocket messages, SPDY
/// DATA frames). Keep it under the stream's lock.
public struct PendingChunk: Sendable {
    private var bytes: [UInt8] = []
    private var offset = 0

    public init() {}

    /// Replaces the (used up) rest with a new chunk.
    public mutating func set(_ chunk: [UInt8]) {
        bytes = chunk
        offset = 0
    }

    /// Up to `maxBytes` of what is left (the whole chunk, not copied, when it
    /// fits), or nil when nothing is left.
    public mutating func take(maxBytes: Int) -> [UInt8]? {
        let available = bytes.count - offset
        guard available > 0 else { return nil }
        if offset == 0 && available <= maxBytes {
            defer { set([]) }
            return bytes
        }
        let n = min(available, maxBytes)
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }
}
