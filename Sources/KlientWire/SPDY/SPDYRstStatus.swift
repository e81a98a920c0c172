/// Status code of a SPDY/3 RST_STREAM frame (SPDY draft 3, §2.6.3).
///
/// A struct rather than an enum so that a status this code does not know still
/// decodes (the stream is reset either way); the eleven codes of the spec are
/// the static members. Only 0 is invalid on the wire.
public struct SPDYRstStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// 1: generic error when no more specific status applies.
    public static let protocolError = SPDYRstStatus(rawValue: 1)
    /// 2: a frame arrived for a stream that is not active.
    public static let invalidStream = SPDYRstStatus(rawValue: 2)
    /// 3: the stream was refused before any processing.
    public static let refusedStream = SPDYRstStatus(rawValue: 3)
    /// 4: the recipient does not support the SPDY version.
    public static let unsupportedVersion = SPDYRstStatus(rawValue: 4)
    /// 5: the stream is no longer needed (spdystream's `Reset`/`Cancel`).
    public static let cancel = SPDYRstStatus(rawValue: 5)
    /// 6: an implementation failure unrelated to the protocol.
    public static let internalError = SPDYRstStatus(rawValue: 6)
    /// 7: the peer violated flow control.
    public static let flowControlError = SPDYRstStatus(rawValue: 7)
    /// 8: a SYN_REPLY arrived for a stream that already has one.
    public static let streamInUse = SPDYRstStatus(rawValue: 8)
    /// 9: data arrived after the peer half-closed the stream.
    public static let streamAlreadyClosed = SPDYRstStatus(rawValue: 9)
    /// 10: the CREDENTIAL of the stream's origin is invalid.
    public static let invalidCredentials = SPDYRstStatus(rawValue: 10)
    /// 11: a frame was larger than the recipient accepts.
    public static let frameTooLarge = SPDYRstStatus(rawValue: 11)

    public var description: String {
        switch rawValue {
        case 1: "PROTOCOL_ERROR"
        case 2: "INVALID_STREAM"
        case 3: "REFUSED_STREAM"
        case 4: "UNSUPPORTED_VERSION"
        case 5: "CANCEL"
        case 6: "INTERNAL_ERROR"
        case 7: "FLOW_CONTROL_ERROR"
        case 8: "STREAM_IN_USE"
        case 9: "STREAM_ALREADY_CLOSED"
        case 10: "INVALID_CREDENTIALS"
        case 11: "FRAME_TOO_LARGE"
        default: "status \(rawValue)"
        }
    }
}
