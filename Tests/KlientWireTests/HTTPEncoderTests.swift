import KlientTestSupport
import KlientWire
import Testing

@Suite struct HTTPEncoderTests {
    @Test func requestHeadVector() throws {
        var headers: HTTPHeaders = ["Host": "10.0.0.1:6443", "Accept": "application/json"]
        headers.setBodyFraming(.contentLength(2))
        let head = HTTPRequestHead(method: .POST, target: "/api/v1/namespaces", headers: headers)
        #expect(try head.encoded() == bytes(
            "POST /api/v1/namespaces HTTP/1.1\r\nHost: 10.0.0.1:6443\r\nAccept: application/json\r\n"
                + "Content-Length: 2\r\n\r\n"))
    }

    @Test func responseHeadVector() throws {
        let head = HTTPResponseHead(status: 101, headers: [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        ])
        #expect(try head.encoded() == bytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"))
        #expect(try HTTPResponseHead(version: .http1_0, status: 599, reason: "").encoded() == bytes("HTTP/1.0 599 \r\n\r\n"))
        var out = bytes("prefix")
        try HTTPResponseHead(status: 404).encode(into: &out)
        #expect(out == bytes("prefixHTTP/1.1 404 Not Found\r\n\r\n"))
    }

    @Test func headerInjectionIsRejected() {
        let evil = HTTPRequestHead(method: .GET, target: "/", headers: ["X-A": "1\r\nX-Injected: yes"])
        #expect(throws: HTTPEncodeError.invalidHeaderValue(name: "X-A")) { try evil.encoded() }
        let lf = HTTPResponseHead(status: 200, headers: ["Set-Cookie": "a=b\nc"])
        #expect(throws: HTTPEncodeError.invalidHeaderValue(name: "Set-Cookie")) { try lf.encoded() }
        let nul = HTTPResponseHead(status: 200, headers: ["X": "a\u{0}"])
        #expect(throws: HTTPEncodeError.invalidHeaderValue(name: "X")) { try nul.encoded() }
        let name = HTTPRequestHead(method: .GET, target: "/", headers: ["X-A\r\nX-B": "1"])
        #expect(throws: HTTPEncodeError.invalidHeaderName("X-A\r\nX-B")) { try name.encoded() }
        let colon = HTTPRequestHead(method: .GET, target: "/", headers: ["X:A": "1"])
        #expect(throws: HTTPEncodeError.invalidHeaderName("X:A")) { try colon.encoded() }
        let empty = HTTPRequestHead(method: .GET, target: "/", headers: ["": "1"])
        #expect(throws: HTTPEncodeError.invalidHeaderName("")) { try empty.encoded() }
        // Tabs and non-ASCII (obs-text) are fine in values.
        #expect(throws: Never.self) {
            try HTTPRequestHead(method: .GET, target: "/", headers: ["X": "a\tb ü"]).encoded()
        }
        #expect(HTTPEncodeError.invalidHeaderValue(name: "X-A").description.contains("header injection"))
    }

    @Test func startLineInjectionIsRejected() {
        #expect(throws: HTTPEncodeError.invalidRequestTarget("/a b")) {
            try HTTPRequestHead(method: .GET, target: "/a b").encoded()
        }
        #expect(throws: HTTPEncodeError.invalidRequestTarget("/a\r\nHost: x")) {
            try HTTPRequestHead(method: .GET, target: "/a\r\nHost: x").encoded()
        }
        #expect(throws: HTTPEncodeError.invalidRequestTarget("")) {
            try HTTPRequestHead(method: .GET, target: "").encoded()
        }
        #expect(throws: HTTPEncodeError.invalidMethod("GET /")) {
            try HTTPRequestHead(method: "GET /", target: "/").encoded()
        }
        #expect(throws: HTTPEncodeError.invalidReasonPhrase("OK\r\nX: y")) {
            try HTTPResponseHead(status: 200, reason: "OK\r\nX: y").encoded()
        }
        #expect(throws: HTTPEncodeError.invalidStatusCode(42)) { try HTTPResponseHead(status: 42).encoded() }
        var out = bytes("keep")
        #expect(throws: HTTPEncodeError.self) {
            try HTTPRequestHead(method: .GET, target: "/", headers: ["X": "\r"]).encode(into: &out)
        }
        #expect(out == bytes("keep"), "nothing is appended on error")
    }

    @Test func chunkVectors() throws {
        #expect(HTTPChunkedEncoding.chunk(bytes("hello")) == bytes("5\r\nhello\r\n"))
        #expect(HTTPChunkedEncoding.chunk([UInt8](repeating: 0x61, count: 26)) ==
            bytes("1a\r\n" + String(repeating: "a", count: 26) + "\r\n"))
        #expect(HTTPChunkedEncoding.chunk([UInt8](repeating: 0, count: 4096)).prefix(6) == bytes("1000\r\n")[...])
        #expect(HTTPChunkedEncoding.chunk([UInt8]()) == [])
        #expect(HTTPChunkedEncoding.chunkPrefix(size: 255) == bytes("ff\r\n"))
        #expect(HTTPChunkedEncoding.chunkPrefix(size: 1) == bytes("1\r\n"))
        #expect(HTTPChunkedEncoding.chunkSuffix == bytes("\r\n"))
        #expect(HTTPChunkedEncoding.lastChunk == bytes("0\r\n\r\n"))
        var out: [UInt8] = []
        try HTTPChunkedEncoding.appendLastChunk(trailers: ["X-Sum": "1"], to: &out)
        #expect(out == bytes("0\r\nX-Sum: 1\r\n\r\n"))
        #expect(throws: HTTPEncodeError.invalidHeaderValue(name: "X")) {
            var o: [UInt8] = []
            try HTTPChunkedEncoding.appendLastChunk(trailers: ["X": "\n"], to: &o)
        }
    }

    @Test func chunkedBodyEncoder() throws {
        var encoder = HTTPBodyEncoder(framing: .chunked)
        var out: [UInt8] = []
        try encoder.encode(bytes("abc"), into: &out)
        try encoder.encode([UInt8](), into: &out)
        try encoder.encode(bytes("0123456789abcdef"), into: &out)
        try encoder.finish(trailers: ["T": "v"], into: &out)
        #expect(out == bytes("3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n"))
        #expect(encoder.bytesWritten == 19)
        #expect(throws: HTTPEncodeError.bodyAlreadyFinished) { try encoder.encode(bytes("x")) }
    }

    @Test func contentLengthBodyEncoder() throws {
        var encoder = HTTPBodyEncoder(framing: .contentLength(5))
        #expect(try encoder.encode(bytes("hel")) == bytes("hel"))
        #expect(throws: HTTPEncodeError.bodyLongerThanContentLength(declared: 5)) { try encoder.encode(bytes("lo!")) }
        #expect(throws: HTTPEncodeError.bodyShorterThanContentLength(declared: 5, written: 3)) { try encoder.finish() }
        #expect(try encoder.encode(bytes("lo")) == bytes("lo"))
        #expect(throws: HTTPEncodeError.trailersRequireChunkedEncoding) { try encoder.finish(trailers: ["a": "b"]) }
        #expect(try encoder.finish() == [])

        var none = HTTPBodyEncoder(framing: .none)
        #expect(throws: HTTPEncodeError.bodyNotAllowed) { try none.encode(bytes("x")) }
        #expect(try none.finish() == [])
        var raw = HTTPBodyEncoder(framing: .untilClose)
        #expect(try raw.encode(bytes("raw")) == bytes("raw"))
    }

    @Test func setBodyFramingReplacesFramingHeaders() {
        var headers: HTTPHeaders = ["content-length": "9", "Transfer-Encoding": "gzip", "X": "1"]
        headers.setBodyFraming(.chunked)
        #expect(headers == ["X": "1", "Transfer-Encoding": "chunked"])
        headers.setBodyFraming(.contentLength(0))
        #expect(headers == ["X": "1", "Content-Length": "0"])
        headers.setBodyFraming(.none)
        #expect(headers == ["X": "1"])
    }

    /// Encoder output decodes back to the same messages, whatever the split.
    @Test func roundTripThroughDecoders() throws {
        var wire: [UInt8] = []
        var head = HTTPRequestHead(method: .PATCH, target: "/apis/apps/v1/deployments/d",
                                   headers: ["Content-Type": "application/merge-patch+json"])
        head.headers.setBodyFraming(.chunked)
        try head.encode(into: &wire)
        var body = HTTPBodyEncoder(framing: .chunked)
        try body.encode(bytes("{\"spec\":"), into: &wire)
        try body.encode(bytes("{\"replicas\":3}}"), into: &wire)
        try body.finish(into: &wire)
        var second = HTTPRequestHead(method: .GET, target: "/healthz")
        second.headers.setBodyFraming(.none)
        try second.encode(into: &wire)

        let t = everySplitRequests(wire)
        #expect(t.events == [
            .requestHead(head), .body("{\"spec\":{\"replicas\":3}}"), .end(trailers: [:]),
            .requestHead(second), .end(trailers: [:]),
        ])

        var response = HTTPResponseHead(status: 200, headers: ["Content-Type": "text/plain"])
        response.headers.setBodyFraming(.contentLength(4))
        var rwire = try response.encoded()
        var rbody = HTTPBodyEncoder(framing: .contentLength(4))
        try rbody.encode(bytes("pong"), into: &rwire)
        try rbody.finish(into: &rwire)
        let r = everySplitResponses(rwire)
        #expect(r.events == [.responseHead(response), .body("pong"), .end(trailers: [:])])
    }
}
