/// Status code of a SPDY/3 GOAWAY frame (SPDY draft 3, §2.6.6).
///
/// A struct so that any received value decodes; the codes spdystream uses are
/// the static members (0 OK, 1 PROTOCOL_ERROR, 2 INTERNAL_ERROR).
public struct SPDYGoAwayStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// 0: normal session teardown.
    public static let ok = SPDYGoAwayStatus(rawValue: 0)
    /// 1: the peer broke the protocol.
    public static let protocolError = SPDYGoAwayStatus(rawValue: 1)
    /// 2: an implementation failure unrelated to the protocol.
    public static let internalError = SPDYGoAwayStatus(rawValue: 2)

    public var description: String {
        switch rawValue {
        case 0: "OK"
        case 1: "PROTOCOL_ERROR"
        case 2: "INTERNAL_ERROR"
        default: "status \(rawValue)"
        }
    }
}
