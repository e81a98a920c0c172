import KlientHTTP
import KlientIO
import KlientWire

extension KubernetesClient {
    /// Channel mode (`v4.channel.k8s.io`): one WebSocket carries one TCP
    /// connection to `port` of the pod (KUBERNETES-WIRE §2).
    ///
    /// Returns once the 101 arrived and both 3-byte port announcements (data
    /// channel 0, error channel 1) were received and checked, all within
    /// ``PortForwardOptions/openTimeout``. Each attempt uses fresh credentials
    /// from `configuration.credentials` (an exec plugin runs again when its
    /// token expired) and a 401 refreshes them and retries once.
    ///
    /// - Throws: ``APIError`` when the server refuses the upgrade (its Status:
    ///   `.forbidden` without RBAC for `pods/portforward`, `.notFound` for an
    ///   unknown pod, …); ``PortForwardError`` for a bad announcement or a
    ///   connection that ends first; `TimeoutError` after `openTimeout`;
    ///   transport errors; `CancellationError`.
    public func openPortForwardChannel(namespace: String, pod: String, port: UInt16,
                                       options: PortForwardOptions = .init()) async throws -> PortForwardChannel {
        let path = Self.portForwardPath(namespace: namespace, pod: pod)
        return try await withTimeout(options.openTimeout, "opening port-forward to \(namespace)/\(pod):\(port)") {
            let upgrade = try await self.upgradeToWebSocket(
                path: path, query: [.init("ports", String(port))],
                subprotocols: [KubernetesChannelProtocol.v4.rawValue], options: options)
            do {
                return try await PortForwardChannel.open(socket: upgrade.socket, port: port, options: options)
            } catch {
                upgrade.transport.close()
                throw error
            }
        }
    }

    /// Tunnel mode (KEP-4006): a SPDY/3.1 session inside one WebSocket
    /// (subprotocol `SPDY/3.1+portforward.k8s.io`), carrying any number of TCP
    /// connections to any ports of the pod (``PortForwardTunnel/openStream(port:)``).
    ///
    /// The upgrade is a GET without `ports`. The server must answer 101 with
    /// the same subprotocol, whose part after `SPDY/3.1+` must be
    /// `portforward.k8s.io`. Credentials are handled as in
    /// ``openPortForwardChannel(namespace:pod:port:options:)``.
    ///
    /// - Throws: ``APIError`` for 401, 403 and 404;
    ///   ``PortForwardError/tunnelUnsupported(_:)`` for any other refusal, or
    ///   a 101 without the tunnel subprotocol (API servers before 1.31, or with
    ///   the `PortForwardWebsockets` gate off): fall back to channel mode;
    ///   `TimeoutError` after ``PortForwardOptions/openTimeout``; transport
    ///   errors; `CancellationError`.
    public func openPortForwardTunnel(namespace: String, pod: String,
                                      options: PortForwardOptions = .init()) async throws -> PortForwardTunnel {
        let path = Self.portForwardPath(namespace: namespace, pod: pod)
        let offer = KubernetesChannelProtocol.portForwardTunnel.rawValue
        let upgrade: WebSocketUpgrade
        do {
            upgrade = try await withTimeout(options.openTimeout, "opening a port-forward tunnel to \(namespace)/\(pod)") {
                try await self.upgradeToWebSocket(path: path, query: [], subprotocols: [offer], options: options)
            }
        } catch let error as APIError where ![401, 403, 404].contains(error.code) {
            throw PortForwardError.tunnelUnsupported("the upgrade was answered with HTTP \(error.code): \(error.message)")
        } catch let error as WebSocketHandshakeError where error.isUpgradeFailure {
            throw PortForwardError.tunnelUnsupported("\(error)")
        }
        guard let chosen = upgrade.socket.subprotocol, chosen.hasPrefix("SPDY/3.1+") else {
            upgrade.transport.close()
            throw PortForwardError.tunnelUnsupported(
                "the server accepted the WebSocket without choosing \(offer)")
        }
        guard chosen.dropFirst("SPDY/3.1+".count) == KubernetesChannelProtocol.tunnelInnerProtocol else {
            upgrade.transport.close()
            throw PortForwardError.tunnelUnsupported("the server chose the SPDY protocol \"\(chosen)\"")
        }
        return PortForwardTunnel(socket: upgrade.socket, options: options)
    }

    static func portForwardPath(namespace: String, pod: String) -> String {
        "/api/v1/namespaces/\(ResourceDescriptor.segment(namespace))/pods/\(ResourceDescriptor.segment(pod))/portforward"
    }

    struct WebSocketUpgrade: Sendable {
        let socket: WebSocket
        /// The connection under the WebSocket, for closing it on a failed open.
        let transport: any ByteStream
    }

    /// A WebSocket upgrade through ``perform(_:_:)``: credentials, endpoint
    /// and headers per attempt, one credential refresh after a 401, and the
    /// retry policy for refused connections and 429/5xx answers. A non-101
    /// answer becomes an ``APIError`` from its Status body.
    func upgradeToWebSocket(path: String, query: [APIRequest.QueryItem], subprotocols: [String],
                            options: PortForwardOptions) async throws -> WebSocketUpgrade {
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = options.pingInterval
        configuration.inactivityTimeout = options.inactivityTimeout
        configuration.inboxCapacity = max(1, options.streamInboxCapacity)
        configuration.closeTimeout = .seconds(2)
        return try await upgradeToWebSocket(path: path, query: query, subprotocols: subprotocols, configuration: configuration)
    }

    /// ``upgradeToWebSocket(path:query:subprotocols:options:)`` with the WebSocket's settings given directly.
    func upgradeToWebSocket(path: String, query: [APIRequest.QueryItem], subprotocols: [String],
                            configuration socketConfiguration: WebSocket.Configuration) async throws -> WebSocketUpgrade {
        let request = APIRequest(method: .GET, path: path, query: query, isLongRunning: true)
        return try await perform(request) { httpRequest, endpoint in
            let key = WebSocketHandshake.generateKey()
            var headers = HTTPHeaders()
            for (name, value) in WebSocketHandshake.clientRequestHeaders(
                host: endpoint.hostHeader, key: key, subprotocols: subprotocols, extraHeaders: Array(httpRequest.headers)) {
                headers.add(name: name, value: value)
            }
            let upgradeRequest = HTTPClientRequest(method: .GET, target: httpRequest.target, headers: headers,
                                                   isLongRunning: true)
            switch try await self.http.upgrade(upgradeRequest, on: endpoint) {
            case .switched(let head, let stream, let leftover):
                do {
                    let chosen = try WebSocketHandshake.validateUpgradeResponse(
                        status: head.status, reasonPhrase: head.reason, headers: Array(head.headers), key: key,
                        offeredSubprotocols: subprotocols, requireSubprotocol: false)
                    let socket = WebSocket(stream: stream, role: .client, subprotocol: chosen, leftover: leftover,
                                           configuration: socketConfiguration)
                    return .done(WebSocketUpgrade(socket: socket, transport: stream))
                } catch {
                    stream.close()
                    throw error
                }
            case .refused(let response):
                return .failed(status: response.status, headers: response.headers, body: response.body)
            }
        }
    }
}
