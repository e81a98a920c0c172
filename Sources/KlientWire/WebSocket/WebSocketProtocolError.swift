/// Everything a peer can do wrong on an open WebSocket connection.
///
/// Each case names the RFC 6455 rule that was broken and maps to the close
/// code to send before closing (``closeCode``): 1002 for framing violations,
/// 1009 for size limits, 1007 for invalid UTF-8. After any of these the
/// connection must be failed (RFC 6455 §7.1.7); the decoders stay failed.
public enum WebSocketProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// RSV1–3 set without a negotiated extension (§5.2). Carries the bits as in byte 0 (0x70 mask).
    case reservedBitsSet(UInt8)
    /// An opcode reserved for future use (§5.2).
    case unknownOpcode(UInt8)
    /// A control frame with more than 125 payload bytes (§5.5).
    case controlFrameTooLong(opcode: WebSocketOpcode, length: UInt64)
    /// A control frame with FIN clear (§5.5).
    case fragmentedControlFrame(WebSocketOpcode)
    /// A server received an unmasked frame from a client (§5.1).
    case unmaskedFrameFromClient
    /// A client received a masked frame from a server (§5.1).
    case maskedFrameFromServer
    /// A 64-bit payload length with its most significant bit set (§5.2).
    case invalidPayloadLength(UInt64)
    /// A frame longer than the configured maximum frame size.
    case frameTooLarge(length: UInt64, limit: Int)
    /// A (possibly fragmented) message longer than the configured maximum message size.
    case messageTooLarge(length: UInt64, limit: Int)
    /// A continuation frame with no fragmented message in progress (§5.4).
    case continuationWithoutStart
    /// A new text or binary frame while a fragmented message was still open (§5.4).
    case dataFrameDuringFragmentedMessage(WebSocketOpcode)
    /// A complete text message, or a close reason, that is not valid UTF-8 (§8.1).
    case invalidUTF8
    /// A close frame with a 1-byte payload (§5.5.1: the code is 2 bytes).
    case truncatedCloseCode
    /// A close frame carrying a code that must not appear on the wire (§7.4).
    case invalidCloseCode(UInt16)

    /// The close code to send when failing the connection for this error.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .frameTooLarge, .messageTooLarge: .messageTooBig
        case .invalidUTF8: .invalidPayloadData
        default: .protocolError
        }
    }

    public var description: String {
        switch self {
        case .reservedBitsSet(let bits):
            let names = [(0x40, "RSV1"), (0x20, "RSV2"), (0x10, "RSV3")]
                .filter { Int(bits) & $0.0 != 0 }.map(\.1).joined(separator: ", ")
            return "WebSocket frame has reserved bit(s) \(names) set but no extension was negotiated (RFC 6455 §5.2)"
        case .unknownOpcode(let op):
            return "WebSocket frame uses reserved opcode 0x\(String(op, radix: 16)) (RFC 6455 §5.2)"
        case .controlFrameTooLong(let op, let length):
            return "WebSocket \(op) frame has \(length) payload bytes; control frames carry at most 125 (RFC 6455 §5.5)"
        case .fragmentedControlFrame(let op):
            return "WebSocket \(op) frame is fragmented (FIN clear); control frames must not be (RFC 6455 §5.5)"
        case .unmaskedFrameFromClient:
            return "WebSocket client sent an unmasked frame; clients must mask every frame (RFC 6455 §5.1)"
        case .maskedFrameFromServer:
            return "WebSocket server sent a masked frame; servers must not mask (RFC 6455 §5.1)"
        case .invalidPayloadLength(let length):
            return "WebSocket 64-bit payload length 0x\(String(length, radix: 16)) has its most significant bit set (RFC 6455 §5.2)"
        case .frameTooLarge(let length, let limit):
            return "WebSocket frame of \(length) bytes exceeds the \(limit)-byte frame limit; raise maxFrameSize if the peer legitimately sends larger frames"
        case .messageTooLarge(let length, let limit):
            return "WebSocket message of at least \(length) bytes exceeds the \(limit)-byte message limit; raise maxMessageSize if this is expected"
        case .continuationWithoutStart:
            return "WebSocket continuation frame arrived with no fragmented message in progress (RFC 6455 §5.4)"
        case .dataFrameDuringFragmentedMessage(let op):
            return "WebSocket \(op) frame started a new message before the fragmented one finished (RFC 6455 §5.4)"
        case .invalidUTF8:
            return "WebSocket text message or close reason is not valid UTF-8 (RFC 6455 §8.1)"
        case .truncatedCloseCode:
            return "WebSocket close frame has a 1-byte payload; a status code takes 2 bytes (RFC 6455 §5.5.1)"
        case .invalidCloseCode(let code):
            return "WebSocket close frame carries code \(code), which must not be sent on the wire (RFC 6455 §7.4)"
        }
    }
}
