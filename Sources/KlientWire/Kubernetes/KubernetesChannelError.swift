/// Malformed messages of the Kubernetes channel protocols. All are fatal for
/// the session (client-go and the Python client abort on them).
public enum KubernetesChannelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A base64-protocol message whose first byte is below `'0'`.
    case invalidBase64ChannelPrefix(UInt8)
    /// A base64-protocol message whose body is not standard base64.
    case invalidBase64(channel: UInt8)
    /// A v5 CLOSE message that is not exactly 2 bytes.
    case invalidCloseLength(Int)
    /// A v5 CLOSE naming a channel ≥ 5.
    case closeOfUnknownChannel(UInt8)
    /// The first port-forward message on a channel is not `[channel][port lo][port hi]`.
    case portForwardFirstMessageLength(channel: UInt8, length: Int)
    /// The first port-forward message names a port other than the one requested for that channel.
    case portForwardWrongPort(channel: UInt8, expected: UInt16, received: UInt16)
    /// A resize message that is not `{"Width":W,"Height":H}` with 16-bit values.
    case invalidResize(String)

    public var description: String {
        switch self {
        case .invalidBase64ChannelPrefix(let byte):
            return "base64 channel message starts with byte 0x\(String(byte, radix: 16)), not '0'+channel"
        case .invalidBase64(let channel):
            return "base64 channel message on channel \(channel) is not valid base64"
        case .invalidCloseLength(let length):
            return "v5 CLOSE message is \(length) bytes; it must be exactly 2 ([0xFF, channel])"
        case .closeOfUnknownChannel(let channel):
            return "v5 CLOSE names channel \(channel); only channels 0–4 exist"
        case .portForwardFirstMessageLength(let channel, let length):
            return "first port-forward message on channel \(channel) is \(length) bytes; it must be 3 ([channel][port lo][port hi])"
        case .portForwardWrongPort(let channel, let expected, let received):
            return "first port-forward message on channel \(channel) names port \(received); port \(expected) was requested"
        case .invalidResize(let why):
            return "resize message is invalid: \(why); expected {\"Width\":W,\"Height\":H}"
        }
    }
}
