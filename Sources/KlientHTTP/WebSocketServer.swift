import KlientIO
import KlientWire

/// Server side of the WebSocket opening handshake for ``HTTPServer`` handlers.
public enum WebSocketServer {
    /// Answers `request`: a 101 that hands a server-side ``WebSocket`` to
    /// `handler`, or a 4xx explaining what was wrong with the upgrade request.
    ///
    /// The subprotocol is the first of the client's offers (in its order) that
    /// appears in `supportedSubprotocols`. With `requireSubprotocol`, a client
    /// that offers none of them gets 400. Extensions are never negotiated.
    public static func upgrade(
        _ request: HTTPServerRequest,
        supportedSubprotocols: [String] = [],
        requireSubprotocol: Bool = false,
        configuration: WebSocket.Configuration = WebSocket.Configuration(),
        handler: @escaping @Sendable (WebSocket) async -> Void
    ) -> HTTPServerResponse {
        let headers = Array(request.headers)
        let upgrade: WebSocketHandshake.UpgradeRequest
        do {
            upgrade = try WebSocketHandshake.validateUpgradeRequest(method: request.method.rawValue, headers: headers)
        } catch {
            var response = HTTPServerResponse.text(error.suggestedResponseStatus ?? 400, "\(error)\n")
            if error.suggestedResponseStatus == 426 {
                response.head.headers.add(name: "Sec-WebSocket-Version", value: "13")
            }
            return response
        }
        let chosen = WebSocketHandshake.negotiateSubprotocol(offered: upgrade.offeredSubprotocols,
                                                             supported: supportedSubprotocols)
        if chosen == nil && requireSubprotocol {
            return .text(400, "none of the offered subprotocols \(upgrade.offeredSubprotocols) is supported; "
                         + "supported: \(supportedSubprotocols)\n")
        }
        var head = HTTPResponseHead(status: 101)
        for (name, value) in WebSocketHandshake.serverResponseHeaders(key: upgrade.key, subprotocol: chosen) {
            head.headers.add(name: name, value: value)
        }
        return HTTPServerResponse(head: head, body: .upgrade { stream, leftover in
            let socket = WebSocket(stream: stream, role: .server, subprotocol: chosen, leftover: leftover,
                                   configuration: configuration)
            await handler(socket)
        })
    }
}
