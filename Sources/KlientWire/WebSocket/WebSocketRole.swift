/// Which end of a WebSocket connection a codec or state machine acts for.
///
/// RFC 6455 §5.1: a client masks every frame it sends and a server never
/// masks; each side closes the connection when the peer breaks that rule.
public enum WebSocketRole: Sendable, Hashable {
    case client
    case server
}
