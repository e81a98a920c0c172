#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The opening handshake of RFC 6455 §4 as pure functions over header lists.
///
/// Headers are `[(name: String, value: String)]`; names compare
/// case-insensitively and repeated lines of a list-valued header are joined
/// with commas (RFC 9110 §5.3).
public enum WebSocketHandshake {
    public typealias Headers = [(name: String, value: String)]

    /// The GUID appended to the key before hashing (§1.3).
    public static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// A fresh `Sec-WebSocket-Key`: 16 bytes from the system CSPRNG, base64 (§4.1 item 7).
    public static func generateKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return generateKey(using: &generator)
    }

    public static func generateKey<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 { bytes[i] = UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    /// `Sec-WebSocket-Accept` for `key`: base64(SHA-1(key + GUID)) (§4.2.2 item 5.4).
    public static func acceptValue(forKey key: String) -> String {
        Data(SHA1.hash(Array((key + acceptGUID).utf8))).base64EncodedString()
    }

    // MARK: Client

    /// The upgrade-specific request headers, in this order: Host, Upgrade,
    /// Connection, Sec-WebSocket-Key, Sec-WebSocket-Version: 13,
    /// Sec-WebSocket-Protocol (offers in preference order, one line; omitted
    /// when empty), then `extraHeaders` (e.g. Authorization) unchanged.
    /// The request line is `GET <path> HTTP/1.1`.
    public static func clientRequestHeaders(
        host: String, key: String, subprotocols: [String] = [], extraHeaders: Headers = []
    ) -> Headers {
        var headers: Headers = [
            ("Host", host),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", "13"),
        ]
        if !subprotocols.isEmpty { headers.append(("Sec-WebSocket-Protocol", subprotocols.joined(separator: ", "))) }
        headers.append(contentsOf: extraHeaders)
        return headers
    }

    /// Checks a server's answer to our upgrade request (§4.1, the client's
    /// checks) and returns the negotiated subprotocol (nil if none).
    ///
    /// - Parameters:
    ///   - reasonPhrase: the status line's reason; a standard phrase is used when nil or empty.
    ///   - body: any body bytes already read; the first 256 appear in the error.
    ///   - offeredSubprotocols: what we sent in `Sec-WebSocket-Protocol`.
    ///   - requireSubprotocol: fail when we offered some and the server chose none.
    /// - Throws: ``WebSocketHandshakeError`` response cases, checked in this
    ///   order: status, Upgrade, Connection, accept key, extensions, subprotocol.
    public static func validateUpgradeResponse(
        status: Int, reasonPhrase: String? = nil, headers: Headers, body: [UInt8]? = nil,
        key: String, offeredSubprotocols: [String], requireSubprotocol: Bool
    ) throws(WebSocketHandshakeError) -> String? {
        guard status == 101 else {
            let reason = (reasonPhrase?.isEmpty == false ? reasonPhrase! : standardReasonPhrase(status)) ?? ""
            throw .notSwitchingProtocols(status: status, reason: reason, bodySnippet: body.flatMap(snippet))
        }
        let upgrade = value(of: "Upgrade", in: headers)
        guard let upgrade, upgrade.trimmingSpaces().lowercased() == "websocket" else {
            throw .responseUpgradeNotWebSocket(found: upgrade)
        }
        let connection = value(of: "Connection", in: headers)
        guard let connection, tokens(connection).contains(where: { $0.lowercased() == "upgrade" }) else {
            throw .responseConnectionLacksUpgrade(found: connection)
        }
        guard let accept = value(of: "Sec-WebSocket-Accept", in: headers)?.trimmingSpaces() else {
            throw .missingAcceptKey
        }
        let expected = acceptValue(forKey: key)
        guard accept == expected else { throw .wrongAcceptKey(found: accept, expected: expected) }
        if let extensions = value(of: "Sec-WebSocket-Extensions", in: headers), !extensions.trimmingSpaces().isEmpty {
            throw .unexpectedExtensions(extensions)
        }
        let chosen = value(of: "Sec-WebSocket-Protocol", in: headers)?.trimmingSpaces()
        if let chosen, !chosen.isEmpty {
            guard offeredSubprotocols.contains(chosen) else {
                throw .subprotocolNotOffered(chosen: chosen, offered: offeredSubprotocols)
            }
            return chosen
        }
        if requireSubprotocol && !offeredSubprotocols.isEmpty { throw .subprotocolMissing(offered: offeredSubprotocols) }
        return nil
    }

    // MARK: Server

    /// What a valid upgrade request asked for.
    public struct UpgradeRequest: Sendable, Hashable {
        /// The client's `Sec-WebSocket-Key`, trimmed.
        public var key: String
        /// Offered subprotocols in the client's order (all lines joined, split on commas, trimmed).
        public var offeredSubprotocols: [String]
    }

    /// Checks a client's upgrade request (§4.2.1): GET, `Upgrade` containing
    /// `websocket`, `Connection` containing `upgrade`, version 13, and a key
    /// that is 16 bytes in base64.
    ///
    /// - Throws: ``WebSocketHandshakeError`` request cases; answer with
    ///   ``WebSocketHandshakeError/suggestedResponseStatus``.
    public static func validateUpgradeRequest(method: String, headers: Headers) throws(WebSocketHandshakeError) -> UpgradeRequest {
        guard method == "GET" else { throw .requestMethodNotGET(method) }
        let upgrade = value(of: "Upgrade", in: headers)
        guard let upgrade, tokens(upgrade).contains(where: { $0.lowercased() == "websocket" }) else {
            throw .requestUpgradeNotWebSocket(found: upgrade)
        }
        let connection = value(of: "Connection", in: headers)
        guard let connection, tokens(connection).contains(where: { $0.lowercased() == "upgrade" }) else {
            throw .requestConnectionLacksUpgrade(found: connection)
        }
        let version = value(of: "Sec-WebSocket-Version", in: headers)
        guard version?.trimmingSpaces() == "13" else { throw .requestUnsupportedVersion(found: version) }
        let key = value(of: "Sec-WebSocket-Key", in: headers)
        guard let trimmed = key?.trimmingSpaces(), trimmed.utf8.count == 24,
              let decoded = Data(base64Encoded: trimmed), decoded.count == 16 else {
            throw .requestInvalidKey(found: key)
        }
        return UpgradeRequest(key: trimmed, offeredSubprotocols: offeredSubprotocols(in: headers))
    }

    /// All `Sec-WebSocket-Protocol` lines joined, split on commas, trimmed, empties dropped.
    public static func offeredSubprotocols(in headers: Headers) -> [String] {
        value(of: "Sec-WebSocket-Protocol", in: headers).map(tokens) ?? []
    }

    /// The subprotocol to select: the first entry of the CLIENT's offer that
    /// the server supports (the server's own order does not matter), or nil.
    public static func negotiateSubprotocol(offered: [String], supported: [String]) -> String? {
        offered.first { supported.contains($0) }
    }

    /// Headers of the 101 answer: Upgrade, Connection, Sec-WebSocket-Accept
    /// and, when one was chosen, Sec-WebSocket-Protocol. The status line is
    /// `HTTP/1.1 101 Switching Protocols`.
    public static func serverResponseHeaders(key: String, subprotocol: String?) -> Headers {
        var headers: Headers = [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", acceptValue(forKey: key)),
        ]
        if let subprotocol { headers.append(("Sec-WebSocket-Protocol", subprotocol)) }
        return headers
    }

    // MARK: Helpers

    /// All values of header `name` joined with ", ", or nil when absent.
    public static func value(of name: String, in headers: Headers) -> String? {
        let values = headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    static func tokens(_ list: String) -> [String] {
        list.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    static func snippet(_ body: [UInt8]) -> String? {
        let limit = 256
        var text = String(decoding: body.prefix(limit), as: UTF8.self).trimmingSpaces()
        if body.count > limit { text += "…" }
        return text.isEmpty ? nil : text
    }

    /// The standard reason phrase of `status`, or nil for an unregistered code.
    public static func standardReasonPhrase(_ status: Int) -> String? {
        let phrase = HTTPResponseHead.standardReason(for: status)
        return phrase.isEmpty ? nil : phrase
    }
}

fileprivate extension String {
    /// Without leading and trailing spaces and tabs (HTTP optional whitespace).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }

    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}
