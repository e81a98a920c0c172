/// The 4-bit frame opcode of RFC 6455 §5.2 (§11.8 registry).
///
/// Only the six defined opcodes exist as values: the decoder rejects the
/// reserved ones (0x3–0x7, 0xB–0xF) with ``WebSocketProtocolError/unknownOpcode(_:)``.
public enum WebSocketOpcode: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Control frames (close, ping, pong) have the high opcode bit set (§5.5):
    /// they are at most 125 bytes and never fragmented.
    @inlinable public var isControl: Bool { rawValue & 0x8 != 0 }

    public var description: String {
        switch self {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        }
    }
}
