import KlientHTTP
import KlientIO
import KlientWire

/// Serves `/api/v1/namespaces/{ns}/pods/{name}/portforward` for a pod the API
/// router has already resolved and authorized, in all three transports
/// (KUBERNETES-WIRE §2, §3):
///
/// - **WebSocket channel mode** — GET with `ports` (repeated or comma
///   separated, 1…65535, else 400 Status) and subprotocol `v4.channel.k8s.io`,
///   `v4.base64.channel.k8s.io` or none; see ``PortForwardChannelSession``.
/// - **SPDY/3.1** — `Upgrade: SPDY/3.1` with `X-Stream-Protocol-Version:
///   portforward.k8s.io` (missing → 400, unsupported → 403 with
///   `X-Accepted-Stream-Protocol-Versions`); kubectl 1.27–1.30.
/// - **KEP-4006 tunnel** — a WebSocket offering `SPDY/3.1+portforward.k8s.io`
///   (kubectl ≥ 1.31): the same SPDY session over the WebSocket's BINARY
///   messages (``WebSocketByteStream``). ``StreamFaults/portForwardTunnelEnabled``
///   false makes the sim refuse it as a pre-1.31 API server does.
///
/// Pod port P is dialled at the pod's annotation `klient-sim/port.P`, else
/// `127.0.0.1:P`. Every upgraded connection is registered with the
/// ``StreamRegistry`` (so "drop all streaming connections" cuts it), and
/// ``StreamFaults/delayMessage()`` runs before each forwarded message.
public final class PortForwardHandler: Sendable {
    /// The SPDY protocol (`X-Stream-Protocol-Version`) of port-forward.
    public static let spdyProtocol = "portforward.k8s.io"

    private let registry: StreamRegistry
    private let faults: StreamFaults

    public init(registry: StreamRegistry, faults: StreamFaults) {
        self.registry = registry
        self.faults = faults
    }

    /// Answers one port-forward request for `pod`: a 101 whose stream is
    /// served until the forwarding ends, or a `metav1.Status` error.
    public func handle(_ request: HTTPServerRequest, pod: PodContext) async -> HTTPServerResponse {
        switch PortForwardRequest.classify(request, tunnelEnabled: faults.portForwardTunnelEnabled) {
        case .failure(let rejection):
            return rejection.response
        case .success(.spdy):
            return spdyUpgrade(request, pod: pod)
        case .success(.tunnel):
            return webSocketUpgrade(request, subprotocols: [KubernetesChannelProtocol.portForwardTunnel.rawValue]) {
                [registry, faults] stream, socket in
                let session = PortForwardSPDYSession(transport: WebSocketByteStream(socket, transport: stream),
                                                     pod: pod, faults: faults)
                let token = registry.register(stream)
                defer { registry.unregister(token) }
                await session.run()
                await socket.close(code: .normalClosure)
            }
        case .success(.channels(let ports)):
            let supported = [KubernetesChannelProtocol.v4.rawValue, KubernetesChannelProtocol.v4Base64.rawValue]
            return webSocketUpgrade(request, subprotocols: supported, allowNone: true) {
                [registry, faults] stream, socket in
                let proto: KubernetesChannelProtocol = socket.subprotocol == KubernetesChannelProtocol.v4Base64.rawValue
                    ? .v4Base64 : .v4
                let token = registry.register(stream)
                defer { registry.unregister(token) }
                await PortForwardChannelSession(socket: socket, channelProtocol: proto, ports: ports, pod: pod,
                                                faults: faults).run()
            }
        }
    }

    // MARK: SPDY

    private func spdyUpgrade(_ request: HTTPServerRequest, pod: PodContext) -> HTTPServerResponse {
        let offered = request.headers.values(for: "X-Stream-Protocol-Version")
            .flatMap { $0.split(separator: ",") }
            .map { PortForwardRequest.trimmed($0) }
            .filter { !$0.isEmpty }
        guard !offered.isEmpty else {
            return PortForwardRejection.badRequest("unable to upgrade: X-Stream-Protocol-Version is required").response
        }
        guard offered.contains(Self.spdyProtocol) else {
            var rejection = PortForwardRejection(
                status: 403, reason: "Forbidden",
                message: "unable to upgrade: unable to negotiate protocol: client supports \(offered), server accepts [\(Self.spdyProtocol)]")
            rejection.extraHeaders = [("X-Accepted-Stream-Protocol-Versions", Self.spdyProtocol)]
            return rejection.response
        }
        var head = HTTPResponseHead(status: 101)
        head.headers.add(name: "Connection", value: "Upgrade")
        head.headers.add(name: "Upgrade", value: "SPDY/3.1")
        head.headers.add(name: "X-Stream-Protocol-Version", value: Self.spdyProtocol)
        return HTTPServerResponse(head: head, body: .upgrade { [registry, faults] stream, leftover in
            let token = registry.register(stream)
            defer { registry.unregister(token) }
            await PortForwardSPDYSession(transport: stream, pod: pod, faults: faults).run(leftover: leftover)
        })
    }

    // MARK: WebSocket

    /// The WebSocket handshake done here (not through `WebSocketServer`) so
    /// that the raw stream can be registered for the drop-connections fault.
    private func webSocketUpgrade(
        _ request: HTTPServerRequest, subprotocols: [String], allowNone: Bool = false,
        session: @escaping @Sendable (any ByteStream, WebSocket) async -> Void
    ) -> HTTPServerResponse {
        let upgrade: WebSocketHandshake.UpgradeRequest
        do {
            upgrade = try WebSocketHandshake.validateUpgradeRequest(method: request.method.rawValue,
                                                                     headers: Array(request.headers))
        } catch {
            return PortForwardRejection.badRequest("unable to upgrade websocket connection: \(error)").response
        }
        let chosen = WebSocketHandshake.negotiateSubprotocol(offered: upgrade.offeredSubprotocols, supported: subprotocols)
        if chosen == nil && !(allowNone && upgrade.offeredSubprotocols.isEmpty) {
            return PortForwardRejection.badRequest(
                "unable to upgrade websocket connection: requested protocol(s) \(upgrade.offeredSubprotocols) are not supported; "
                + "supported: \(subprotocols)").response
        }
        var head = HTTPResponseHead(status: 101)
        for (name, value) in WebSocketHandshake.serverResponseHeaders(key: upgrade.key, subprotocol: chosen) {
            head.headers.add(name: name, value: value)
        }
        var configuration = WebSocket.Configuration()
        // Like the API server: no server pings and no idle cut-off of its own.
        configuration.pingInterval = nil
        configuration.inactivityTimeout = nil
        return HTTPServerResponse(head: head, body: .upgrade { [configuration] stream, leftover in
            let socket = WebSocket(stream: stream, role: .server, subprotocol: chosen, leftover: leftover,
                                   configuration: configuration)
            await session(stream, socket)
        })
    }
}
