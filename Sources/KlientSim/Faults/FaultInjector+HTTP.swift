import KlientHTTP
import KlientWire

extension FaultInjector {
    /// Delay between answering a connection fault request and applying it,
    /// so the answer reaches the caller before its connection is cut.
    public static let connectionFaultDelay: Duration = .milliseconds(150)

    /// The fault API (POST unless noted; admin token; loopback peers only):
    /// - `GET /klient-sim/faults`: current settings
    /// - `/drop-streams`: close all streaming connections now
    /// - `/refuse-connections?seconds=N`, `/reset-connections?seconds=N`
    ///   (applied ``connectionFaultDelay`` after the answer)
    /// - `/latency?ms=N` (0 clears)
    /// - `/fail-requests?count=N&code=C&retryAfter=S`
    /// - `/expire-tokens`
    /// - `/restart-pod?namespace=NS&name=POD`
    /// - `/portforward-tunnel?enabled=false|true` (false: refuse the
    ///   port-forward tunnel as a pre-1.31 API server does)
    /// - `/exec-v5?enabled=false|true` (false: exec/attach speak v4 at most,
    ///   as a pre-1.30 API server does)
    func handle(_ request: HTTPServerRequest, authenticator: SimAuthenticator) async -> HTTPServerResponse {
        let host = request.peerAddress?.host ?? ""
        guard host.hasPrefix("127.") || host == "::1" || host.hasPrefix("::ffff:127.") else {
            return APIError(code: 403, reason: "Forbidden", message: "the fault API is served to loopback clients only").response
        }
        switch authenticator.authenticate(request) {
        case .success(let user?) where user.isAdmin: break
        case .success(let user?):
            return APIError(code: 403, reason: "Forbidden", message: "User \"\(user.name)\" cannot use the fault API (admin only)").response
        default: return APIError.unauthorized.response
        }
        let query = HTTPQuery(target: request.target)
        let name = request.path.dropFirst("/klient-sim/faults".count).drop { $0 == "/" }
        if name.isEmpty {
            guard request.method == .GET else { return APIError.methodNotAllowed(request.method.rawValue, "the fault list").response }
            let latency = streamFaults.messageLatency.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? 0
            return SimServer.json(200, ["openStreams": .int(Int64(streams.count)), "latencyMs": .int(latency),
                                        "injectedFailures": .int(Int64(injectedFailureCount)),
                                        "portForwardTunnel": .bool(portForwardTunnelEnabled),
                                        "execV5": .bool(execV5Enabled),
                                        "faults": ["drop-streams", "refuse-connections", "reset-connections", "latency",
                                                   "fail-requests", "expire-tokens", "restart-pod", "portforward-tunnel",
                                                   "exec-v5"]])
        }
        guard request.method == .POST else { return APIError.methodNotAllowed(request.method.rawValue, "fault \(name)").response }
        func number(_ key: String, default value: Int? = nil, range: ClosedRange<Int>) throws -> Int {
            guard let text = query[key] else {
                if let value { return value }
                throw APIError.badRequest("fault \(name) needs ?\(key)=N")
            }
            guard let n = Int(text), range.contains(n) else {
                throw APIError.badRequest("\(key) must be an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
            }
            return n
        }
        do {
            switch name {
            case "drop-streams":
                return SimServer.json(200, ["fault": "drop-streams", "dropped": .int(Int64(dropStreamingConnections()))])
            case "refuse-connections", "reset-connections":
                let seconds = try number("seconds", range: 1...3600)
                let mode: ConnectionFault = name == "refuse-connections" ? .refuse : .reset
                guard hasConnectionController else {
                    throw APIError(code: 501, reason: "NotImplemented", message: "connection faults need the klient-sim listener (SimCluster)")
                }
                Task {
                    try? await Task.sleep(for: Self.connectionFaultDelay)
                    try? await self.blockConnections(mode, for: .seconds(seconds))
                }
                return SimServer.json(200, ["fault": .string(String(name)), "seconds": .int(Int64(seconds)),
                                            "startsAfterMs": .int(150)], headers: [("Connection", "close")])
            case "latency":
                let ms = try number("ms", range: 0...600_000)
                setMessageLatency(ms == 0 ? nil : .milliseconds(ms))
                return SimServer.json(200, ["fault": "latency", "ms": .int(Int64(ms))])
            case "fail-requests":
                let count = try number("count", default: 1, range: 0...1_000_000)
                let code = try number("code", default: 429, range: 400...599)
                let retry = query["retryAfter"] == nil ? (code == 429 ? 1 : nil) : try number("retryAfter", range: 0...3600)
                failNextRequests(count, code: code, retryAfterSeconds: retry)
                var out: JSONValue = ["fault": "fail-requests", "count": .int(Int64(count)), "code": .int(Int64(code))]
                if let retry { out["retryAfterSeconds"] = .int(Int64(retry)) }
                return SimServer.json(200, out)
            case "expire-tokens":
                expireTokens()
                return SimServer.json(200, ["fault": "expire-tokens"])
            case "restart-pod":
                guard let pod = query["name"], !pod.isEmpty else { throw APIError.badRequest("fault restart-pod needs ?name=POD") }
                let namespace = query["namespace"] ?? "default"
                try await restartPod(namespace: namespace, name: pod)
                return SimServer.json(200, ["fault": "restart-pod", "namespace": .string(namespace), "name": .string(pod)])
            case "portforward-tunnel", "exec-v5":
                let enabled: Bool
                switch query["enabled"] {
                case "true": enabled = true
                case "false": enabled = false
                case let other?: throw APIError.badRequest("enabled must be true or false, got \"\(other)\"")
                case nil: throw APIError.badRequest("fault \(name) needs ?enabled=true or ?enabled=false")
                }
                if name == "exec-v5" { setExecV5(enabled: enabled) } else { setPortForwardTunnel(enabled: enabled) }
                return SimServer.json(200, ["fault": .string(String(name)), "enabled": .bool(enabled)])
            default:
                return APIError.notFound("unknown fault \"\(name)\"; known: drop-streams, refuse-connections, reset-connections, latency, fail-requests, expire-tokens, restart-pod, portforward-tunnel, exec-v5").response
            }
        } catch let error as APIError {
            return error.response
        } catch let error as StoreError {
            return APIError(error, group: "", resource: "pods").response
        } catch {
            return APIError(code: 500, reason: "InternalError", message: "\(error)").response
        }
    }
}
