/// Turns decoded frames into messages (RFC 6455 §5.4): joins a text or
/// binary frame with its continuation frames, and hands control frames
/// (ping, pong, close) through at once, even in the middle of a fragmented
/// message.
///
/// Enforces: a continuation needs a message in progress and a new text or
/// binary frame may not start while one is open (1002); the message size
/// limit ``maxMessageSize``, checked as each fragment arrives (1009); complete
/// text messages must be valid UTF-8 (1007, checked once per message so a
/// character may straddle fragments); close payloads are validated as in
/// ``WebSocketClosePayload/parse(_:)``.
///
/// After an error the assembler stays failed and rethrows it.
public struct WebSocketMessageAssembler: Sendable {
    /// 64 MiB.
    public static let defaultMaxMessageSize = 64 << 20

    public var maxMessageSize: Int

    var fragmentOpcode: WebSocketOpcode?
    var fragments: [UInt8] = []
    var failure: WebSocketProtocolError?

    public init(maxMessageSize: Int = WebSocketMessageAssembler.defaultMaxMessageSize) {
        precondition(maxMessageSize >= 0, "negative maxMessageSize")
        self.maxMessageSize = maxMessageSize
    }

    /// True while a fragmented message is open.
    public var isAssemblingMessage: Bool { fragmentOpcode != nil }

    /// Feeds one frame; returns a message when one is complete, else nil.
    ///
    /// - Throws: ``WebSocketProtocolError`` as listed on the type.
    public mutating func receive(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> WebSocketMessage? {
        if let failure { throw failure }
        do {
            return try process(frame)
        } catch {
            failure = error
            fragments = []
            throw error
        }
    }

    private mutating func process(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> WebSocketMessage? {
        switch frame.opcode {
        case .ping:
            return .ping(frame.payload)
        case .pong:
            return .pong(frame.payload)
        case .close:
            let close = try WebSocketClosePayload.parse(frame.payload)
            return .close(code: close.code, reason: close.reason)
        case .text, .binary:
            if fragmentOpcode != nil {
                throw .dataFrameDuringFragmentedMessage(frame.opcode)
            }
            try checkSize(frame.payload.count)
            if frame.fin { return try complete(frame.opcode, frame.payload) }
            fragmentOpcode = frame.opcode
            fragments = frame.payload
            return nil
        case .continuation:
            guard let opcode = fragmentOpcode else { throw .continuationWithoutStart }
            try checkSize(fragments.count + frame.payload.count)
            fragments.append(contentsOf: frame.payload)
            guard frame.fin else { return nil }
            let payload = fragments
            fragments = []
            fragmentOpcode = nil
            return try complete(opcode, payload)
        }
    }

    private func checkSize(_ size: Int) throws(WebSocketProtocolError) {
        if size > maxMessageSize { throw .messageTooLarge(length: UInt64(size), limit: maxMessageSize) }
    }

    private func complete(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws(WebSocketProtocolError) -> WebSocketMessage {
        if opcode == .binary { return .binary(payload) }
        guard let text = String(validating: payload, as: UTF8.self) else { throw .invalidUTF8 }
        return .text(text)
    }
}
