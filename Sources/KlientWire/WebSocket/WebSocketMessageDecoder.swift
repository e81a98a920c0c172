/// Bytes in, messages out: a ``WebSocketFrameDecoder`` feeding a
/// ``WebSocketMessageAssembler``, for connection code that only wants messages.
///
/// Same rules, limits and errors as its two parts; after an error it stays failed.
public struct WebSocketMessageDecoder: Sendable {
    public var frames: WebSocketFrameDecoder
    public var assembler: WebSocketMessageAssembler

    public init(
        role: WebSocketRole,
        maxFrameSize: Int = WebSocketFrameDecoder.defaultMaxFrameSize,
        maxMessageSize: Int = WebSocketMessageAssembler.defaultMaxMessageSize
    ) {
        frames = WebSocketFrameDecoder(role: role, maxFrameSize: maxFrameSize)
        assembler = WebSocketMessageAssembler(maxMessageSize: maxMessageSize)
    }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        frames.append(bytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        frames.append(bytes)
    }

    /// The next complete message, or nil if more bytes are needed.
    ///
    /// - Throws: ``WebSocketProtocolError``; send its ``WebSocketProtocolError/closeCode``.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketMessage? {
        while let frame = try frames.next() {
            if let message = try assembler.receive(frame) { return message }
        }
        return nil
    }
}
