import KlientTestSupport
import KlientWire
import Testing

@Suite struct HTTPRequestDecoderTests {
    @Test func pipelinedRequestsWithBodies() {
        let input = bytes(
            "GET /api/v1/namespaces/default/pods?watch=1 HTTP/1.1\r\nHost: k8s\r\nAccept: application/json\r\n\r\n"
                + "POST /rpc HTTP/1.1\r\nHost: k8s\r\nContent-Length: 13\r\n\r\n{\"id\":1}\r\n\r\nx"
                + "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext\r\nabcd\r\n0\r\nDigest: sha\r\n\r\n")
        let t = everySplitRequests(input)
        #expect(t.events == [
            .requestHead(HTTPRequestHead(method: .GET, target: "/api/v1/namespaces/default/pods?watch=1",
                                         headers: ["Host": "k8s", "Accept": "application/json"])),
            .end(trailers: [:]),
            .requestHead(HTTPRequestHead(method: .POST, target: "/rpc",
                                         headers: ["Host": "k8s", "Content-Length": "13"])),
            .body("{\"id\":1}\r\n\r\nx"),
            .end(trailers: [:]),
            .requestHead(HTTPRequestHead(method: .PUT, target: "/x", headers: ["Transfer-Encoding": "chunked"])),
            .body("abcd"),
            .end(trailers: ["Digest": "sha"]),
        ])
        #expect(t.reusable)
    }

    @Test func emptyLinesBeforeRequestLineAreSkipped() {
        let t = everySplitRequests(bytes("\r\n\n\r\nDELETE /a HTTP/1.1\r\n\r\n"))
        #expect(t.events == [.requestHead(HTTPRequestHead(method: .DELETE, target: "/a")), .end(trailers: [:])])
    }

    @Test func acceptedUpgradeHandsOffLeftoverBytes() {
        let frame: [UInt8] = [0x82, 0x83, 0x01, 0x02, 0x03, 0x04, 0x0B, 0x0D, 0x0A]  // masked binary frame
        let input = bytes(
            "GET /api/v1/namespaces/default/pods/p/exec?command=sh HTTP/1.1\r\nHost: k8s\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n") + frame
        let t = everySplitRequests(input)
        #expect(t.events.count == 3)
        if case .requestHead(let head) = t.events.first {
            #expect(head.isUpgradeRequest)
            #expect(head.headers["sec-websocket-protocol"] == "v5.channel.k8s.io")
        } else {
            Issue.record("no head: \(t.events)")
        }
        #expect(t.events.dropFirst() == [.end(trailers: [:]), .upgrade(frame)])
        #expect(!t.reusable)
    }

    @Test func declinedUpgradeContinuesWithHTTP() {
        let input = bytes(
            "GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n")
        let t = everySplitRequests(input, acceptUpgrades: false)
        #expect(t.events == [
            .requestHead(HTTPRequestHead(method: .GET, target: "/",
                                         headers: ["Connection": "upgrade", "Upgrade": "h2c"])),
            .end(trailers: [:]),
            .requestHead(HTTPRequestHead(method: .GET, target: "/next")),
            .end(trailers: [:]),
        ])
        #expect(t.reusable)
    }

    @Test func upgradeHeaderWithoutConnectionTokenIsNotAnUpgrade() {
        let t = everySplitRequests(bytes("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET /b HTTP/1.1\r\n\r\n"))
        #expect(t.events.count == 4)
        #expect(t.reusable)
    }

    @Test func connectionCloseEndsTheConnection() {
        let input = bytes("POST /a HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhiGET /ignored HTTP/1.1\r\n\r\n")
        let t = everySplitRequests(input)
        #expect(t.events.dropFirst() == [.body("hi"), .end(trailers: [:])])
        #expect(!t.reusable)
        let http10 = everySplitRequests(bytes("GET / HTTP/1.0\r\n\r\nGET /ignored HTTP/1.0\r\n\r\n"))
        #expect(http10.events == [
            .requestHead(HTTPRequestHead(method: .GET, target: "/", version: .http1_0)), .end(trailers: [:]),
        ])
        #expect(!http10.reusable)
    }

    @Test func extensionMethodsAndTargetsPassThrough() {
        let t = everySplitRequests(bytes("PROPFIND * HTTP/1.1\r\n\r\nOPTIONS http://h/p?q=%20 HTTP/1.1\r\n\r\n"))
        #expect(t.events == [
            .requestHead(HTTPRequestHead(method: "PROPFIND", target: "*")), .end(trailers: [:]),
            .requestHead(HTTPRequestHead(method: .OPTIONS, target: "http://h/p?q=%20")), .end(trailers: [:]),
        ])
    }

    // MARK: Errors

    func expectError(_ input: String, _ error: HTTPParseError, limits: HTTPDecoderLimits = HTTPDecoderLimits(),
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let t = everySplitRequests(bytes(input), limits: limits, sourceLocation: sourceLocation)
        #expect(t.events.last == .error(error), sourceLocation: sourceLocation)
    }

    @Test func invalidRequestLines() {
        expectError("GET /a b HTTP/1.1\r\n\r\n", .invalidRequestLine("GET /a b HTTP/1.1"))
        expectError("GET  / HTTP/1.1\r\n\r\n", .invalidRequestLine("GET  / HTTP/1.1"))
        expectError("GET /\r\n\r\n", .invalidRequestLine("GET /"))
        expectError("G(T / HTTP/1.1\r\n\r\n", .invalidRequestLine("G(T / HTTP/1.1"))
        expectError("GET / HTTP/1.1 \r\n\r\n", .invalidRequestLine("GET / HTTP/1.1 "))
        expectError("GET / HTTP/11\r\n\r\n", .invalidRequestLine("GET / HTTP/11"))
        expectError("GET /\u{7F} HTTP/1.1\r\n\r\n", .invalidRequestLine("GET /\\x7F HTTP/1.1"))
        expectError("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .unsupportedVersion("HTTP/2.0"))
        expectError("GET /" + String(repeating: "a", count: 30) + " HTTP/1.1\r\n\r\n", .startLineTooLong(limit: 24),
                    limits: HTTPDecoderLimits(maxStartLineLength: 24))
        #expect(HTTPDecoderLimits().maxStartLineLength == 8192)
    }

    @Test func framingErrors() {
        expectError("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding("gzip"))
        expectError("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                    .contentLengthWithTransferEncoding)
        expectError("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                    .conflictingContentLength("3, 4"))
        expectError("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", .invalidContentLength("0x10"))
        expectError("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\ng\r\n", .invalidChunkSize("g"))
        expectError("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n", .bodyTooLarge(limit: 99),
                    limits: HTTPDecoderLimits(maxBodySize: 99))
        expectError("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", .truncatedMessage("with 3 Content-Length body bytes missing"))
        expectError("GET / HTTP/1.1\r\nHost: a\r\n", .truncatedMessage("inside the header section"))
        expectError("GET / HTTP/1.1\r\nX: 1\r\n  more\r\n\r\n", .obsoleteLineFolding("  more"))
        expectError("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", .invalidHeaderValue(name: "X"))
        expectError("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", .tooManyHeaders(limit: 2),
                    limits: HTTPDecoderLimits(maxHeaderCount: 2))
        expectError("GET / HTTP/1.1\r\nA: 123456789\r\n\r\n", .headerTooLarge(limit: 10),
                    limits: HTTPDecoderLimits(maxHeaderBytes: 10))
    }

    @Test func trailerSectionHasItsOwnLimits() {
        let input = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n"
        expectError(input, .tooManyHeaders(limit: 1), limits: HTTPDecoderLimits(maxHeaderCount: 1))
        let t = everySplitRequests(bytes(input), limits: HTTPDecoderLimits(maxHeaderCount: 2))
        #expect(t.events.last == .end(trailers: ["A": "1", "B": "2"]))
    }
}
