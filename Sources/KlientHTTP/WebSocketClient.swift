import KlientIO
import KlientWire

/// Opens client WebSockets through an ``HTTPClient`` (so they share its
/// TLS contexts and session resumption).
public enum WebSocketClient {
    /// Performs the opening handshake (RFC 6455 §4.1) and validates the reply
    /// in one pure step (`WebSocketHandshake.validateUpgradeResponse`).
    ///
    /// - Parameters:
    ///   - target: path and query, e.g. `/api/v1/namespaces/default/pods/p/exec?...`.
    ///   - subprotocols: offered in preference order.
    ///   - requireSubprotocol: fail unless the server picked one of `subprotocols`.
    /// - Throws: `WebSocketHandshakeError` when the server refused or answered
    ///   wrongly (its `isUpgradeFailure` tells whether a fallback makes sense);
    ///   transport errors otherwise.
    public static func connect(
        client: HTTPClient, endpoint: HTTPEndpoint, target: String,
        subprotocols: [String] = [], requireSubprotocol: Bool = false,
        headers extraHeaders: HTTPHeaders = HTTPHeaders(),
        configuration: WebSocket.Configuration = WebSocket.Configuration()
    ) async throws -> WebSocket {
        let key = WebSocketHandshake.generateKey()
        var headers = HTTPHeaders()
        for (name, value) in WebSocketHandshake.clientRequestHeaders(
            host: endpoint.hostHeader, key: key, subprotocols: subprotocols, extraHeaders: Array(extraHeaders)) {
            headers.add(name: name, value: value)
        }
        let request = HTTPClientRequest(method: .GET, target: target, headers: headers)
        switch try await client.upgrade(request, on: endpoint) {
        case .switched(let head, let stream, let leftover):
            do {
                let chosen = try WebSocketHandshake.validateUpgradeResponse(
                    status: head.status, reasonPhrase: head.reason, headers: Array(head.headers), key: key,
                    offeredSubprotocols: subprotocols, requireSubprotocol: requireSubprotocol)
                return WebSocket(stream: stream, role: .client, subprotocol: chosen, leftover: leftover,
                                 configuration: configuration)
            } catch {
                stream.close()
                throw error
            }
        case .refused(let response):
            _ = try WebSocketHandshake.validateUpgradeResponse(
                status: response.status, reasonPhrase: response.head.reason, headers: Array(response.headers),
                body: response.body, key: key, offeredSubprotocols: subprotocols,
                requireSubprotocol: requireSubprotocol)
            // A non-101 status always fails validation above; this is unreachable.
            throw HTTPClientError.invalidRequest("server answered \(response.status) to a WebSocket upgrade")
        }
    }
}
