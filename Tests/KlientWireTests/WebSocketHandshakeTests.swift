import Testing
@testable import KlientWire

@Suite("WebSocket handshake")
struct WebSocketHandshakeTests {
    typealias H = WebSocketHandshake
    let rfcKey = "dGhlIHNhbXBsZSBub25jZQ=="
    let rfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    func hexDigest(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test("SHA-1 FIPS 180 vectors")
    func sha1Vectors() {
        #expect(hexDigest(SHA1.hash(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hexDigest(SHA1.hash([UInt8]())) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hexDigest(SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hexDigest(SHA1.hash([UInt8](repeating: 0x61, count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test("SHA-1 at padding boundaries, whole and incremental", arguments: [
        (55, "cef734ba81a024479e09eb5a75b6ddae62e6abf1"), (56, "901305367c259952f4e7af8323f480d59f81335b"),
        (63, "0ddc4e0cccd9a12850deb5abb0853a4425559fec"), (64, "bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163"),
        (65, "78c741ddc482e4cdf8c474a0876347a0905b6233"), (119, "4300320394f7ee239bcdce7d3b8bcee173a0cd5c"),
        (120, "ceb2821639c4b6dcb10bce0e522ca2e608ce056d"), (128, "150fa3fbdc899bd0b8f95a9fb6027f564d953762"),
    ])
    func sha1Boundaries(length: Int, digest: String) {
        let input = [UInt8](repeating: 0x78, count: length)
        #expect(hexDigest(SHA1.hash(input)) == digest)
        var sha = SHA1()
        sha.update(input[..<(length / 3)])
        sha.update(input[(length / 3)...])
        #expect(hexDigest(sha.finalize()) == digest)
    }

    @Test("RFC 6455 §1.3 accept value")
    func acceptVector() {
        #expect(H.acceptValue(forKey: rfcKey) == rfcAccept)
    }

    @Test("Generated keys are 16 random bytes in base64")
    func generatedKey() throws {
        let key = H.generateKey()
        #expect(key.utf8.count == 24 && key.hasSuffix("=="))
        #expect(key != H.generateKey())
        let request = try H.validateUpgradeRequest(method: "GET", headers: H.clientRequestHeaders(host: "h", key: key))
        #expect(request.key == key)
    }

    @Test("Client request headers in order, with offers and extras")
    func clientHeaders() {
        let headers = H.clientRequestHeaders(host: "api.example:6443", key: rfcKey,
                                             subprotocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"],
                                             extraHeaders: [("Authorization", "Bearer t")])
        #expect(headers.map(\.name) == ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
                                        "Sec-WebSocket-Protocol", "Authorization"])
        #expect(headers.map(\.value) == ["api.example:6443", "websocket", "Upgrade", rfcKey, "13",
                                         "v5.channel.k8s.io, v4.channel.k8s.io", "Bearer t"])
        #expect(!H.clientRequestHeaders(host: "h", key: rfcKey).contains { $0.name == "Sec-WebSocket-Protocol" })
    }

    // MARK: Server side

    func request(_ overrides: [(name: String, value: String)] = [], dropping: String? = nil) -> H.Headers {
        var headers: H.Headers = [
            ("host", "h"), ("upgrade", "websocket"), ("connection", "keep-alive, Upgrade"),
            ("sec-websocket-key", rfcKey), ("sec-websocket-version", "13"),
        ]
        headers.removeAll { $0.name == dropping || overrides.map(\.name).contains($0.name) }
        return headers + overrides
    }

    @Test("A valid request, mixed-case names and tokens")
    func validRequest() throws {
        let r = try H.validateUpgradeRequest(method: "GET", headers: [
            ("HOST", "h"), ("Upgrade", "WebSocket"), ("CONNECTION", "upgrade"),
            ("Sec-WebSocket-Key", " \(rfcKey) "), ("Sec-Websocket-Version", "13"),
            ("Sec-WebSocket-Protocol", "v5.channel.k8s.io , v4.channel.k8s.io"),
            ("sec-websocket-protocol", "channel.k8s.io"),
        ])
        #expect(r.key == rfcKey)
        #expect(r.offeredSubprotocols == ["v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"])
    }

    @Test("Request validation failures")
    func requestFailures() {
        func check(_ method: String, _ headers: H.Headers, _ expected: WebSocketHandshakeError, status: Int) {
            #expect(throws: expected) { try H.validateUpgradeRequest(method: method, headers: headers) }
            #expect(expected.suggestedResponseStatus == status)
            #expect(!expected.isUpgradeFailure)
        }
        check("POST", request(), .requestMethodNotGET("POST"), status: 405)
        check("GET", request(dropping: "upgrade"), .requestUpgradeNotWebSocket(found: nil), status: 400)
        check("GET", request([("upgrade", "h2c")]), .requestUpgradeNotWebSocket(found: "h2c"), status: 400)
        check("GET", request([("connection", "keep-alive")]), .requestConnectionLacksUpgrade(found: "keep-alive"), status: 400)
        check("GET", request([("sec-websocket-version", "8")]), .requestUnsupportedVersion(found: "8"), status: 426)
        check("GET", request(dropping: "sec-websocket-version"), .requestUnsupportedVersion(found: nil), status: 426)
        check("GET", request(dropping: "sec-websocket-key"), .requestInvalidKey(found: nil), status: 400)
        check("GET", request([("sec-websocket-key", "c2hvcnQ=")]), .requestInvalidKey(found: "c2hvcnQ="), status: 400)
        check("GET", request([("sec-websocket-key", "!!!!!!!!!!!!!!!!!!!!!!==")]),
              .requestInvalidKey(found: "!!!!!!!!!!!!!!!!!!!!!!=="), status: 400)
    }

    @Test("Negotiation picks the first protocol in the CLIENT's order", arguments: [
        (["v5.channel.k8s.io", "v4.channel.k8s.io"], ["v4.channel.k8s.io", "v5.channel.k8s.io"], "v5.channel.k8s.io"),
        (["v5.channel.k8s.io", "v4.channel.k8s.io"], ["v4.channel.k8s.io"], "v4.channel.k8s.io"),
        (["v4.channel.k8s.io", "v5.channel.k8s.io"], ["v5.channel.k8s.io", "v4.channel.k8s.io"], "v4.channel.k8s.io"),
        (["base64.channel.k8s.io"], ["v4.channel.k8s.io"], nil),
        ([], ["v4.channel.k8s.io"], nil),
    ] as [([String], [String], String?)])
    func negotiation(offered: [String], supported: [String], expected: String?) {
        #expect(H.negotiateSubprotocol(offered: offered, supported: supported) == expected)
    }

    @Test("Offers split across header lines are joined in order")
    func offersAcrossLines() {
        let headers: H.Headers = [("Sec-WebSocket-Protocol", "a, b"), ("X", "y"), ("sec-websocket-protocol", " c,,d ")]
        #expect(H.offeredSubprotocols(in: headers) == ["a", "b", "c", "d"])
        #expect(H.negotiateSubprotocol(offered: H.offeredSubprotocols(in: headers), supported: ["d", "c"]) == "c")
    }

    @Test("Server response headers validate on the client side")
    func serverResponseRoundTrip() throws {
        let headers = H.serverResponseHeaders(key: rfcKey, subprotocol: "v4.channel.k8s.io")
        #expect(headers.first { $0.name == "Sec-WebSocket-Accept" }?.value == rfcAccept)
        let chosen = try H.validateUpgradeResponse(status: 101, headers: headers, key: rfcKey,
                                                   offeredSubprotocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"],
                                                   requireSubprotocol: true)
        #expect(chosen == "v4.channel.k8s.io")
    }

    // MARK: Client-side response validation

    func response(_ overrides: [(name: String, value: String)] = [], dropping: String? = nil) -> H.Headers {
        var headers: H.Headers = [
            ("Upgrade", "WebSocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", rfcAccept),
            ("Sec-WebSocket-Protocol", "v5.channel.k8s.io"),
        ]
        headers.removeAll { $0.name == dropping || overrides.map(\.name).contains($0.name) }
        return headers + overrides
    }

    func validate(status: Int = 101, reason: String? = nil, _ headers: H.Headers, body: [UInt8]? = nil,
                  offered: [String] = ["v5.channel.k8s.io", "v4.channel.k8s.io"], require: Bool = true) throws(WebSocketHandshakeError) -> String? {
        try H.validateUpgradeResponse(status: status, reasonPhrase: reason, headers: headers, body: body, key: rfcKey,
                                      offeredSubprotocols: offered, requireSubprotocol: require)
    }

    @Test("A valid response returns the chosen protocol")
    func validResponse() throws {
        #expect(try validate(response()) == "v5.channel.k8s.io")
        #expect(try validate(response(dropping: "Sec-WebSocket-Protocol"), offered: [], require: true) == nil)
        #expect(try validate(response(dropping: "Sec-WebSocket-Protocol"), require: false) == nil)
        #expect(try validate(response([("Connection", "keep-alive, upgrade")])) == "v5.channel.k8s.io")
    }

    @Test("403 with a body: status, phrase and truncated snippet in the error")
    func forbidden() {
        let body = Array(#"{"kind":"Status","message":"pods \"p\" is forbidden: User cannot get resource pods/exec"}"#.utf8)
        do {
            _ = try validate(status: 403, response(), body: body)
            Issue.record("expected failure")
        } catch {
            guard case .notSwitchingProtocols(403, "Forbidden", let snippet?) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(snippet.contains("pods/exec"))
            #expect(error.description.hasPrefix("server answered 403 Forbidden instead of switching protocols (101): {"))
            #expect(error.isUpgradeFailure)
        }
        let long = [UInt8](repeating: 0x7A, count: 1000)
        #expect(throws: WebSocketHandshakeError.notSwitchingProtocols(status: 500, reason: "Oops",
                                                                      bodySnippet: String(repeating: "z", count: 256) + "…")) {
            try validate(status: 500, reason: "Oops", response(), body: long)
        }
        #expect(throws: WebSocketHandshakeError.notSwitchingProtocols(status: 200, reason: "OK", bodySnippet: nil)) {
            try validate(status: 200, response())
        }
    }

    @Test("Each header failure is distinct")
    func responseFailures() {
        #expect(throws: WebSocketHandshakeError.responseUpgradeNotWebSocket(found: nil)) { try validate(response(dropping: "Upgrade")) }
        #expect(throws: WebSocketHandshakeError.responseUpgradeNotWebSocket(found: "SPDY/3.1")) {
            try validate(response([("Upgrade", "SPDY/3.1")]))
        }
        #expect(throws: WebSocketHandshakeError.responseConnectionLacksUpgrade(found: nil)) { try validate(response(dropping: "Connection")) }
        #expect(throws: WebSocketHandshakeError.responseConnectionLacksUpgrade(found: "close")) {
            try validate(response([("Connection", "close")]))
        }
        #expect(throws: WebSocketHandshakeError.missingAcceptKey) { try validate(response(dropping: "Sec-WebSocket-Accept")) }
        #expect(throws: WebSocketHandshakeError.wrongAcceptKey(found: "AAAA", expected: rfcAccept)) {
            try validate(response([("Sec-WebSocket-Accept", "AAAA")]))
        }
        #expect(throws: WebSocketHandshakeError.unexpectedExtensions("permessage-deflate")) {
            try validate(response([("Sec-WebSocket-Extensions", "permessage-deflate")]))
        }
        #expect(throws: WebSocketHandshakeError.subprotocolNotOffered(chosen: "channel.k8s.io", offered: ["v5.channel.k8s.io", "v4.channel.k8s.io"])) {
            try validate(response([("Sec-WebSocket-Protocol", "channel.k8s.io")]))
        }
        #expect(throws: WebSocketHandshakeError.subprotocolMissing(offered: ["v5.channel.k8s.io", "v4.channel.k8s.io"])) {
            try validate(response(dropping: "Sec-WebSocket-Protocol"))
        }
        #expect(throws: WebSocketHandshakeError.subprotocolNotOffered(chosen: "x", offered: [])) {
            try validate(response([("Sec-WebSocket-Protocol", "x")]), offered: [], require: false)
        }
    }
}
