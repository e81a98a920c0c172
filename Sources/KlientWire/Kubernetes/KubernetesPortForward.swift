/// Channel numbering and the port announcement of port-forward over
/// WebSocket in channel mode (`v4.channel.k8s.io`).
///
/// For the port at index `i` of the `ports` query: data channel `2i` (both
/// ways) and error channel `2i+1` (server→client, UTF-8 text). The first
/// message the server sends on every channel is exactly
/// `[channel][port & 0xFF][port >> 8]` (little-endian port); afterwards data
/// channels carry raw bytes. One TCP connection per port per WebSocket.
public enum KubernetesPortForward {
    /// At most 127 ports fit the one-byte channel numbers (255 stays free).
    public static let maxPorts = 127

    public static func dataChannel(forPortIndex index: Int) -> UInt8 {
        precondition((0..<maxPorts).contains(index), "port index \(index) out of range")
        return UInt8(2 * index)
    }

    public static func errorChannel(forPortIndex index: Int) -> UInt8 {
        precondition((0..<maxPorts).contains(index), "port index \(index) out of range")
        return UInt8(2 * index + 1)
    }

    /// The port index a channel belongs to and whether it is the error channel.
    public static func portIndex(forChannel channel: UInt8) -> (index: Int, isError: Bool) {
        (Int(channel) / 2, channel & 1 == 1)
    }

    /// The whole first message for `channel`: `[channel][port lo][port hi]`.
    public static func firstMessage(channel: UInt8, port: UInt16) -> [UInt8] {
        [channel, UInt8(port & 0xFF), UInt8(port >> 8)]
    }

    /// Validates the payload (after the channel byte) of a channel's first
    /// message: exactly 2 bytes naming `expectedPort`.
    ///
    /// - Throws: ``KubernetesChannelError/portForwardFirstMessageLength(channel:length:)``
    ///   (length reported for the whole message, channel byte included) or
    ///   ``KubernetesChannelError/portForwardWrongPort(channel:expected:received:)``.
    public static func validateFirstPayload(_ payload: [UInt8], channel: UInt8, expectedPort: UInt16) throws(KubernetesChannelError) {
        guard payload.count == 2 else { throw .portForwardFirstMessageLength(channel: channel, length: payload.count + 1) }
        let port = UInt16(payload[0]) | UInt16(payload[1]) << 8
        guard port == expectedPort else { throw .portForwardWrongPort(channel: channel, expected: expectedPort, received: port) }
    }
}
