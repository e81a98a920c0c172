/// A complete WebSocket message as delivered to the application: data
/// messages reassembled from their fragments, control frames as they came.
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message, already validated as UTF-8 (RFC 6455 §8.1).
    case text(String)
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    /// A Close frame; `code` is nil when its payload was empty (locally 1005).
    case close(code: WebSocketCloseCode?, reason: String)
}
