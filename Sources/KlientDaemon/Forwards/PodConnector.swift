import Klient
import KlientIO
import Synchronization

/// Opens TCP connections to ports of one pod through the API server, in
/// channel mode (a WebSocket each) or through tunnels (SPDY streams).
protocol PodConnector: Sendable {
    /// `"tunnel"` or `"channel"`, once known.
    var activeMode: String? { get }
    func connect(port: UInt16) async throws -> any ByteStream
    /// Closes what the connector holds (tunnels); connections already handed
    /// out over them end too.
    func close() async
}

/// Channel mode: every connection is its own WebSocket (one TCP connection
/// per port per WebSocket is all the protocol allows).
struct ChannelConnector: PodConnector {
    let client: KubernetesClient
    let namespace: String
    let pod: String
    let options: PortForwardOptions

    var activeMode: String? { "channel" }

    func connect(port: UInt16) async throws -> any ByteStream {
        try await client.openPortForwardChannel(namespace: namespace, pod: pod, port: port, options: options)
    }

    func close() async {}
}

/// Tunnel mode: a few SPDY-in-WebSocket tunnels per pod, each carrying many
/// connections. A new tunnel opens when every live one carries
/// `streamsPerTunnel` connections (up to `maxTunnels`; beyond that the least
/// loaded is shared). Dead tunnels (closed, missed ping deadline) are dropped.
final class TunnelConnector: PodConnector {
    let client: KubernetesClient
    let namespace: String
    let pod: String
    let options: PortForwardOptions
    let streamsPerTunnel: Int
    let maxTunnels: Int
    private let tunnels = Mutex<[PortForwardTunnel]>([])
    private let opening = AsyncLock()
    private let closedFlag = Mutex(false)

    init(client: KubernetesClient, namespace: String, pod: String, options: PortForwardOptions,
         streamsPerTunnel: Int = 128, maxTunnels: Int = 8) {
        self.client = client
        self.namespace = namespace
        self.pod = pod
        self.options = options
        self.streamsPerTunnel = streamsPerTunnel
        self.maxTunnels = maxTunnels
    }

    var activeMode: String? { "tunnel" }

    /// Opens the first tunnel (so a refusal shows up before any connection).
    func prepare() async throws { _ = try await tunnel() }

    func connect(port: UInt16) async throws -> any ByteStream {
        var attempt = 0
        while true {
            let tunnel = try await tunnel()
            do {
                return try await tunnel.openStream(port: port)
            } catch where tunnel.isClosed && attempt == 0 {
                // The tunnel died under us (API server blip): one more try on a fresh one.
                drop(tunnel)
                attempt += 1
            }
        }
    }

    func close() async {
        closedFlag.withLock { $0 = true }
        let all = tunnels.withLock { t in defer { t.removeAll() }; return t }
        for tunnel in all { await tunnel.close() }
    }

    private func drop(_ tunnel: PortForwardTunnel) {
        tunnels.withLock { $0.removeAll { $0 === tunnel } }
    }

    /// A live tunnel with room, opening one when needed.
    private func tunnel() async throws -> PortForwardTunnel {
        if let usable = pick(allowFull: false) { return usable }
        try await opening.lock()
        defer { opening.unlock() }
        if let usable = pick(allowFull: false) { return usable }
        if closedFlag.withLock({ $0 }) { throw PortForwardError.closed("the forward is stopping") }
        let live = tunnels.withLock { $0.count }
        if live >= maxTunnels, let shared = pick(allowFull: true) { return shared }
        let tunnel = try await client.openPortForwardTunnel(namespace: namespace, pod: pod, options: options)
        tunnels.withLock { $0.append(tunnel) }
        Task { [weak self] in
            await tunnel.closed()
            self?.drop(tunnel)
        }
        return tunnel
    }

    private func pick(allowFull: Bool) -> PortForwardTunnel? {
        tunnels.withLock { list in
            list.removeAll { $0.isClosed }
            let ordered = list.sorted { $0.activeStreams < $1.activeStreams }
            return allowFull ? ordered.first : ordered.first { $0.activeStreams < streamsPerTunnel }
        }
    }
}

/// `--mode auto`: tunnels when the server offers them, else channel mode
/// (API servers before 1.31 refuse the tunnel). The choice is made once per
/// pod, on the first connection.
final class AutoConnector: PodConnector {
    private let tunnel: TunnelConnector
    private let channel: ChannelConnector
    private let choice = Mutex<String?>(nil)
    private let deciding = AsyncLock()

    init(client: KubernetesClient, namespace: String, pod: String, options: PortForwardOptions) {
        tunnel = TunnelConnector(client: client, namespace: namespace, pod: pod, options: options)
        channel = ChannelConnector(client: client, namespace: namespace, pod: pod, options: options)
    }

    var activeMode: String? { choice.withLock { $0 } }

    func connect(port: UInt16) async throws -> any ByteStream {
        if activeMode == nil {
            try await deciding.lock()
            defer { deciding.unlock() }
            if activeMode == nil {
                do {
                    try await tunnel.prepare()
                    choice.withLock { $0 = "tunnel" }
                } catch PortForwardError.tunnelUnsupported {
                    choice.withLock { $0 = "channel" }
                }
            }
        }
        return activeMode == "tunnel" ? try await tunnel.connect(port: port) : try await channel.connect(port: port)
    }

    func close() async { await tunnel.close() }
}
