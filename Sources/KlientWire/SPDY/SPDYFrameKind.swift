/// The kind of a SPDY/3 frame: DATA or one of the control frame types the
/// codec understands (SPDY draft 3, §2.6). Used in errors and for dispatch.
public enum SPDYFrameKind: UInt16, Hashable, Sendable, CustomStringConvertible {
    /// DATA frames have no control type; 0 stands for them here.
    case data = 0
    case synStream = 1
    case synReply = 2
    case rstStream = 3
    case settings = 4
    /// NOOP was type 5 in SPDY/2 and is gone from SPDY/3; decoded for tolerance.
    case noop = 5
    case ping = 6
    case goAway = 7
    case headers = 8
    case windowUpdate = 9

    public var description: String {
        switch self {
        case .data: "DATA"
        case .synStream: "SYN_STREAM"
        case .synReply: "SYN_REPLY"
        case .rstStream: "RST_STREAM"
        case .settings: "SETTINGS"
        case .noop: "NOOP"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        case .headers: "HEADERS"
        case .windowUpdate: "WINDOW_UPDATE"
        }
    }
}
