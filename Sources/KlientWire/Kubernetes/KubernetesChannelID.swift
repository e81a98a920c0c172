/// A channel (stream) number of the Kubernetes channel protocols.
///
/// Exec and attach use 0 stdin, 1 stdout, 2 stderr, 3 error/status
/// (server→client), 4 resize (client→server, TTY only) and, in v5 only, 255
/// for the CLOSE message. Port-forward numbers its channels per port (see
/// ``KubernetesPortForward``). Receivers ignore unknown channels.
public struct KubernetesChannelID: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let stdin = KubernetesChannelID(0)
    public static let stdout = KubernetesChannelID(1)
    public static let stderr = KubernetesChannelID(2)
    public static let error = KubernetesChannelID(3)
    public static let resize = KubernetesChannelID(4)
    /// v5 CLOSE marker; the channel being closed follows as the next byte.
    public static let close = KubernetesChannelID(255)

    /// Channels a v5 CLOSE may name: 0 through 4.
    public static let execChannelCount = 5

    public var description: String {
        switch rawValue {
        case 0: "stdin"
        case 1: "stdout"
        case 2: "stderr"
        case 3: "error"
        case 4: "resize"
        case 255: "close"
        default: "channel \(rawValue)"
        }
    }
}
