/// Client-side bookkeeping for one channel-mode port-forward WebSocket with
/// N ports: consumes the 3-byte port announcement that starts each channel
/// and classifies what follows.
///
/// Pure value type; feed it decoded ``KubernetesChannelMessage/data(channel:payload:)``
/// messages in arrival order.
public struct PortForwardChannelState: Sendable, Hashable {
    /// What one received message means.
    public enum Event: Sendable, Hashable {
        /// The channel's port announcement arrived and matched.
        case announced(portIndex: Int, isErrorChannel: Bool)
        /// Bytes from the pod's port.
        case data(portIndex: Int, bytes: [UInt8])
        /// Error text from the kubelet (e.g. "error forwarding port 80 to pod …").
        case error(portIndex: Int, message: [UInt8])
        /// A channel beyond the session's ports; ignored like the API server does.
        case ignored(channel: UInt8)
    }

    /// Remote ports in query order.
    public let ports: [UInt16]
    var announced: [Bool]

    public init(ports: [UInt16]) {
        precondition(ports.count <= KubernetesPortForward.maxPorts, "at most \(KubernetesPortForward.maxPorts) ports per session")
        self.ports = ports
        announced = Array(repeating: false, count: 2 * ports.count)
    }

    /// Whether `channel`'s first message has been seen.
    public func hasAnnounced(channel: UInt8) -> Bool {
        Int(channel) < announced.count && announced[Int(channel)]
    }

    /// True once every data and error channel has announced its port.
    public var allAnnounced: Bool { !announced.contains(false) }

    /// Classifies one message received on `channel`.
    ///
    /// - Throws: ``KubernetesChannelError`` when a channel's first message is
    ///   not exactly `[channel][port lo][port hi]` for its requested port.
    public mutating func receive(channel: UInt8, payload: [UInt8]) throws(KubernetesChannelError) -> Event {
        let c = Int(channel)
        guard c < announced.count else { return .ignored(channel: channel) }
        let (index, isError) = KubernetesPortForward.portIndex(forChannel: channel)
        if !announced[c] {
            try KubernetesPortForward.validateFirstPayload(payload, channel: channel, expectedPort: ports[index])
            announced[c] = true
            return .announced(portIndex: index, isErrorChannel: isError)
        }
        return isError ? .error(portIndex: index, message: payload) : .data(portIndex: index, bytes: payload)
    }
}
