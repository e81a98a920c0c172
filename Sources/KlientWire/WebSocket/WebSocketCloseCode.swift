/// A close status code (RFC 6455 §7.4; IANA "WebSocket Close Code Number Registry").
///
/// Any `UInt16` can be held; ``isValidOnWire`` says whether it may appear in a
/// Close frame. Valid on the wire: 1000–1003, 1007–1014 and the application
/// range 3000–4999. Never on the wire: 1004 (reserved), 1005 (no status),
/// 1006 (abnormal closure) and 1015 (TLS failure) — the last three are only
/// reported locally — and everything below 1000, in 1016–2999 or above 4999.
///
/// 1012–1014 were registered with IANA after RFC 6455; they are accepted.
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// 1000: the purpose of the connection has been fulfilled. Kubernetes
    /// treats it as end-of-stream on every channel.
    public static let normalClosure = WebSocketCloseCode(1000)
    /// 1001: the endpoint is going away (server shutdown, page navigation).
    public static let goingAway = WebSocketCloseCode(1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = WebSocketCloseCode(1002)
    /// 1003: a data type the endpoint cannot accept (e.g. binary-only endpoint got text).
    public static let unsupportedData = WebSocketCloseCode(1003)
    /// 1004: reserved, never sent.
    public static let reserved = WebSocketCloseCode(1004)
    /// 1005: no status code was present; local reporting only.
    public static let noStatusReceived = WebSocketCloseCode(1005)
    /// 1006: the connection dropped without a Close frame; local reporting only.
    public static let abnormalClosure = WebSocketCloseCode(1006)
    /// 1007: message data inconsistent with its type (invalid UTF-8 in text).
    public static let invalidPayloadData = WebSocketCloseCode(1007)
    /// 1008: a policy was violated.
    public static let policyViolation = WebSocketCloseCode(1008)
    /// 1009: a frame or message was too big to process.
    public static let messageTooBig = WebSocketCloseCode(1009)
    /// 1010: the client needed an extension the server did not negotiate.
    public static let mandatoryExtension = WebSocketCloseCode(1010)
    /// 1011: the server hit an unexpected condition.
    public static let internalError = WebSocketCloseCode(1011)
    /// 1012: the service is restarting.
    public static let serviceRestart = WebSocketCloseCode(1012)
    /// 1013: try again later (temporary overload).
    public static let tryAgainLater = WebSocketCloseCode(1013)
    /// 1014: a gateway received an invalid response upstream.
    public static let badGateway = WebSocketCloseCode(1014)
    /// 1015: the TLS handshake failed; local reporting only.
    public static let tlsHandshakeFailure = WebSocketCloseCode(1015)

    /// True for codes 3000–4999, reserved for libraries (3xxx) and applications (4xxx).
    public var isApplicationCode: Bool { (3000...4999).contains(rawValue) }

    /// Whether the code may be sent in, and accepted from, a Close frame.
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    public var description: String {
        let name: String? = switch rawValue {
        case 1000: "normal closure"
        case 1001: "going away"
        case 1002: "protocol error"
        case 1003: "unsupported data"
        case 1004: "reserved"
        case 1005: "no status received"
        case 1006: "abnormal closure"
        case 1007: "invalid payload data"
        case 1008: "policy violation"
        case 1009: "message too big"
        case 1010: "mandatory extension"
        case 1011: "internal error"
        case 1012: "service restart"
        case 1013: "try again later"
        case 1014: "bad gateway"
        case 1015: "TLS handshake failure"
        default: nil
        }
        return name.map { "\(rawValue) (\($0))" } ?? "\(rawValue)"
    }
}
