import KlientHTTP
import KlientWire

/// What a port-forward request asks for, classified the way the API server
/// and kubelet do it (KUBERNETES-WIRE §2, §3).
enum PortForwardRequest: Equatable {
    /// KEP-4006: a WebSocket upgrade offering `SPDY/3.1+portforward.k8s.io`
    /// (checked first, like the API server's tunnelling handler; `ports` is ignored).
    /// Only when the tunnel is enabled: otherwise the request is classified
    /// as channel mode, as an API server before 1.31 (no tunnelling handler) does.
    case tunnel
    /// A WebSocket upgrade in channel mode with the ports of the `ports` query.
    case channels(ports: [UInt16])
    /// An `Upgrade: SPDY/3.1` request.
    case spdy

    /// Classifies `request`, or returns the error response to send.
    static func classify(_ request: HTTPServerRequest, tunnelEnabled: Bool = true) -> Result<PortForwardRequest, PortForwardRejection> {
        let headers = request.headers
        if headers.containsToken("upgrade", "websocket") {
            let offered = WebSocketHandshake.offeredSubprotocols(in: Array(headers))
            if tunnelEnabled, offered.contains(KubernetesChannelProtocol.portForwardTunnel.rawValue) { return .success(.tunnel) }
            return parsePorts(query: query(of: request.target)).map { .channels(ports: $0) }
        }
        if headers.values(for: "upgrade").contains(where: { $0.lowercased().contains("spdy/3.1") }) {
            return .success(.spdy)
        }
        return .failure(PortForwardRejection(status: 400, reason: "BadRequest",
                                             message: "Upgrade request required"))
    }

    /// The `ports` values of a query, in order: repeated parameters and
    /// comma-separated lists both count; each must be a decimal 1…65535
    /// (the kubelet's `V4Options` rules).
    static func parsePorts(query: [(String, String)]) -> Result<[UInt16], PortForwardRejection> {
        let values = query.filter { $0.0 == "ports" }.map(\.1)
        guard !values.isEmpty else { return .failure(.badRequest("query parameter \"ports\" is required")) }
        var ports: [UInt16] = []
        for value in values {
            guard !value.isEmpty else { return .failure(.badRequest("query parameter \"ports\" cannot be empty")) }
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = !part.isEmpty && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                guard digits, let port = UInt16(part) else {
                    // Go's strconv.ParseUint wording, as the kubelet reports it.
                    let why = digits ? "value out of range" : "invalid syntax"
                    return .failure(.badRequest(
                        "unable to parse \"\(value)\" as a port: strconv.ParseUint: parsing \"\(part)\": \(why)"))
                }
                guard port >= 1 else { return .failure(.badRequest("port \"\(value)\" must be > 0")) }
                ports.append(port)
            }
        }
        guard ports.count <= KubernetesPortForward.maxPorts else {
            return .failure(.badRequest("at most \(KubernetesPortForward.maxPorts) ports can be forwarded over one WebSocket"))
        }
        return .success(ports)
    }

    /// Query parameters of a request target, percent-decoded, in order.
    static func query(of target: String) -> [(String, String)] {
        HTTPQuery(target: target).pairs.map { ($0.name, $0.value) }
    }

    /// `s` without leading and trailing spaces and tabs.
    static func trimmed<S: StringProtocol>(_ s: S) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = s.firstIndex(where: { !isBlank($0) }), let last = s.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(s[first...last])
    }

}
