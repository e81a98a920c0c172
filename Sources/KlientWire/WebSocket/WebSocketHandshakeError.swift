/// Why an opening handshake (RFC 6455 §4) failed.
///
/// Request cases are found by a server validating a client's upgrade request
/// (answer with ``suggestedResponseStatus``); response cases by a client
/// validating the server's answer. Every response case is an "upgrade
/// failure" in client-go's sense: the caller may fall back to another
/// transport (SPDY) — errors after a successful upgrade never fall back.
public enum WebSocketHandshakeError: Error, Sendable, Hashable, CustomStringConvertible {
    // MARK: Request (server side)
    /// The upgrade request did not use GET (§4.1).
    case requestMethodNotGET(String)
    /// No `Upgrade` token `websocket` (§4.2.1 item 3).
    case requestUpgradeNotWebSocket(found: String?)
    /// No `Connection` token `upgrade` (§4.2.1 item 4).
    case requestConnectionLacksUpgrade(found: String?)
    /// `Sec-WebSocket-Version` missing or not 13 (§4.2.1 item 6); answer 426 with `Sec-WebSocket-Version: 13`.
    case requestUnsupportedVersion(found: String?)
    /// `Sec-WebSocket-Key` missing or not 16 bytes in base64 (§4.2.1 item 5).
    case requestInvalidKey(found: String?)

    // MARK: Response (client side)
    /// The server did not answer 101 (§4.1: anything else means no WebSocket).
    case notSwitchingProtocols(status: Int, reason: String, bodySnippet: String?)
    /// The response's `Upgrade` header is missing or not `websocket` (§4.1 item 2).
    case responseUpgradeNotWebSocket(found: String?)
    /// The response's `Connection` header lacks the `upgrade` token (§4.1 item 3).
    case responseConnectionLacksUpgrade(found: String?)
    /// No `Sec-WebSocket-Accept` header (§4.1 item 4).
    case missingAcceptKey
    /// `Sec-WebSocket-Accept` does not match our key (§4.1 item 4).
    case wrongAcceptKey(found: String, expected: String)
    /// The server chose a subprotocol we did not offer (§4.1 item 6).
    case subprotocolNotOffered(chosen: String, offered: [String])
    /// The server chose no subprotocol although we required one of ours.
    case subprotocolMissing(offered: [String])
    /// The server answered with extensions we never offered (§4.1 item 5).
    case unexpectedExtensions(String)

    /// True for the cases found while validating a server's response.
    public var isUpgradeFailure: Bool {
        switch self {
        case .requestMethodNotGET, .requestUpgradeNotWebSocket, .requestConnectionLacksUpgrade,
             .requestUnsupportedVersion, .requestInvalidKey:
            false
        default:
            true
        }
    }

    /// For request cases, the HTTP status a server should answer with
    /// (426 Upgrade Required for a bad version, 405 for a wrong method, else
    /// 400); nil for response cases.
    public var suggestedResponseStatus: Int? {
        switch self {
        case .requestUnsupportedVersion: 426
        case .requestMethodNotGET: 405
        case .requestUpgradeNotWebSocket, .requestConnectionLacksUpgrade, .requestInvalidKey: 400
        default: nil
        }
    }

    public var description: String {
        func shown(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "missing" }
        switch self {
        case .requestMethodNotGET(let method):
            return "WebSocket upgrade request used method \(method); RFC 6455 requires GET"
        case .requestUpgradeNotWebSocket(let found):
            return "WebSocket upgrade request has no Upgrade: websocket header (Upgrade is \(shown(found)))"
        case .requestConnectionLacksUpgrade(let found):
            return "WebSocket upgrade request's Connection header lacks the upgrade token (Connection is \(shown(found)))"
        case .requestUnsupportedVersion(let found):
            return "WebSocket upgrade request asks for Sec-WebSocket-Version \(shown(found)); only 13 is supported"
        case .requestInvalidKey(let found):
            return "WebSocket upgrade request's Sec-WebSocket-Key is \(shown(found)); it must be 16 random bytes in base64"
        case .notSwitchingProtocols(let status, let reason, let snippet):
            var text = "server answered \(status)\(reason.isEmpty ? "" : " " + reason) instead of switching protocols (101)"
            if let snippet, !snippet.isEmpty { text += ": \(snippet)" }
            return text
        case .responseUpgradeNotWebSocket(let found):
            return "server switched protocols but its Upgrade header is \(shown(found)) instead of websocket"
        case .responseConnectionLacksUpgrade(let found):
            return "server switched protocols but its Connection header is \(shown(found)), without the upgrade token"
        case .missingAcceptKey:
            return "server switched protocols without a Sec-WebSocket-Accept header; it is not a WebSocket server (or a proxy interfered)"
        case .wrongAcceptKey(let found, let expected):
            return "server's Sec-WebSocket-Accept is \"\(found)\" but our key requires \"\(expected)\"; a proxy or cache may have answered instead of the server"
        case .subprotocolNotOffered(let chosen, let offered):
            return "server chose subprotocol \"\(chosen)\", which we did not offer (offered: \(offered.joined(separator: ", ")))"
        case .subprotocolMissing(let offered):
            return "server accepted the WebSocket without choosing a subprotocol; it supports none of \(offered.joined(separator: ", "))"
        case .unexpectedExtensions(let value):
            return "server answered with Sec-WebSocket-Extensions \"\(value)\" although we offered none"
        }
    }
}
