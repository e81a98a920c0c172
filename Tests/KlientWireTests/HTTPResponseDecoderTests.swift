import KlientTestSupport
import KlientWire
import Testing

@Suite struct HTTPResponseDecoderTests {
    @Test func contentLengthBody() {
        let input = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")
        let t = everySplitResponses(input)
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK",
                                           headers: ["Content-Type": "text/plain", "Content-Length": "11"])),
            .body("hello world"),
            .end(trailers: [:]),
        ])
        #expect(t.reusable)
    }

    @Test func bodyIsStreamedAsItArrives() throws {
        var decoder = HTTPResponseDecoder()
        decoder.append(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
        guard case .head(let head)? = try decoder.next() else { Issue.record("no head"); return }
        #expect(head.status == 200)
        #expect(try decoder.next() == .body(bytes("abc")))
        #expect(try decoder.next() == nil)
        #expect(!decoder.isConnectionReusable)
        decoder.append(bytes("defghij"))
        #expect(try decoder.next() == .body(bytes("defghij")))
        #expect(try decoder.next() == .end)
        #expect(decoder.isConnectionReusable)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func appendFromRawMemory() throws {
        var decoder = HTTPResponseDecoder()
        bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz").withUnsafeBytes { decoder.append($0) }
        guard case .head? = try decoder.next() else { Issue.record("no head"); return }
        #expect(try decoder.next() == .body([0x7A]))
        #expect(try decoder.next() == .end)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() {
        let input = bytes(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "7 ; a=\"quoted;\" ;b\r\n, world\r\n"
                + "1A\r\n" + String(repeating: "z", count: 26) + "\r\n"
                + "0;last\r\nX-Checksum: abc\r\nX-Other:  two words \r\n\r\n")
        let t = everySplitResponses(input)
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Transfer-Encoding": "chunked"])),
            .body("hello, world" + String(repeating: "z", count: 26)),
            .end(trailers: ["X-Checksum": "abc", "X-Other": "two words"]),
        ])
        #expect(t.reusable)
    }

    @Test func pipelinedResponses() {
        let input = bytes(
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nthree")
        let t = everySplitResponses(input)
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Content-Length": "3"])),
            .body("one"), .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 201, reason: "Created", headers: ["Transfer-Encoding": "chunked"])),
            .body("two"), .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 204, reason: "No Content")),
            .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 404, reason: "Not Found", headers: ["Content-Length": "5"])),
            .body("three"), .end(trailers: [:]),
        ])
        #expect(t.reusable)
    }

    @Test func readUntilClose() {
        let input = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nstreamed until\r\nthe end")
        let t = everySplitResponses(input)
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Content-Type": "text/plain"])),
            .body("streamed until\r\nthe end"),
            .end(trailers: [:]),
        ])
        #expect(!t.reusable)
        // Without EOF the body never ends.
        let open = everySplitResponses(input, finish: false)
        #expect(open.events.count == 2)
        #expect(open.events.last == .body("streamed until\r\nthe end"))
    }

    @Test func unknownTransferEncodingInResponseReadsUntilClose() {
        let t = everySplitResponses(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\u{1}\u{2}"))
        #expect(t.events.dropFirst() == [.body("\u{1}\u{2}"), .end(trailers: [:])])
        #expect(!t.reusable)
    }

    @Test func responseToHeadHasNoBody() {
        let input = bytes(
            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        let t = everySplitResponses(input, requestMethods: [.HEAD, .HEAD, .GET])
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Content-Length": "1000"])),
            .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Transfer-Encoding": "chunked"])),
            .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Content-Length": "2"])),
            .body("hi"), .end(trailers: [:]),
        ])
        #expect(t.reusable)
    }

    @Test func noContentAndNotModifiedHaveNoBody() {
        let input = bytes(
            "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\nETag: \"x\"\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let t = everySplitResponses(input)
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 204, reason: "No Content", headers: ["Content-Length": "7"])),
            .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 304, reason: "Not Modified",
                                           headers: ["Content-Length": "12", "ETag": "\"x\""])),
            .end(trailers: [:]),
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Content-Length": "0"])),
            .end(trailers: [:]),
        ])
        #expect(t.reusable)
    }

    @Test func interimResponsesAreSkipped() {
        let input = bytes(
            "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        let t = everySplitResponses(input, requestMethods: [.PUT])
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Content-Length": "2"])),
            .body("ok"), .end(trailers: [:]),
        ])
        #expect(t.reusable)
    }

    @Test func interimThenEndOfStreamIsTruncation() {
        let t = everySplitResponses(bytes("HTTP/1.1 100 Continue\r\n\r\n"))
        #expect(t.events == [.error(.truncatedMessage("after an interim 1xx response, before the final response"))])
    }

    @Test func switchingProtocolsHandsOffLeftoverBytes() {
        // A WebSocket text frame "hi\r\n" (containing CRLF) right behind the head.
        let frame: [UInt8] = [0x81, 0x04, 0x68, 0x69, 0x0D, 0x0A]
        let head = bytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
        let t = everySplitResponses(head + frame + bytes("HTTP/1.1 200 OK\r\n\r\n"))
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 101, reason: "Switching Protocols", headers: [
                "Upgrade": "websocket", "Connection": "Upgrade",
                "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            ])),
            .upgrade(frame + bytes("HTTP/1.1 200 OK\r\n\r\n")),
        ])
        #expect(!t.reusable)
    }

    @Test func upgradeWithoutLeftoverStillSignalsUpgrade() throws {
        var decoder = HTTPResponseDecoder()
        decoder.append(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n\r\n"))
        guard case .head(let head)? = try decoder.next() else { Issue.record("no head"); return }
        #expect(head.status == 101)
        #expect(try decoder.next() == .upgrade([]))
        #expect(try decoder.next() == nil)
        decoder.append([1, 2, 3])
        #expect(try decoder.next() == nil)
        #expect(decoder.takeRemainingBytes() == [1, 2, 3])
    }

    @Test func connectTunnel() {
        let t = everySplitResponses(bytes("HTTP/1.1 200 Connection established\r\n\r\n\u{16}\u{3}"),
                                    requestMethods: [.CONNECT])
        #expect(t.events.count == 2)
        #expect(t.events.last == .upgrade([0x16, 0x03]))
    }

    @Test func connectionCloseStopsParsing() {
        let input = bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nxgarbage that is ignored")
        let t = everySplitResponses(input)
        #expect(t.events.dropFirst() == [.body("x"), .end(trailers: [:])])
        #expect(!t.reusable)
    }

    @Test func keepAliveRulesForHTTP10() {
        let close = everySplitResponses(bytes("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"))
        #expect(close.events.count == 3)
        #expect(!close.reusable)
        let keep = everySplitResponses(bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx"))
        #expect(keep.events.count == 3)
        #expect(keep.reusable)
        let head = HTTPResponseHead(version: .http1_0, status: 200, headers: ["Connection": "Keep-Alive"])
        #expect(head.isKeepAlive)
    }

    @Test func bareLineFeedsAreAccepted() {
        let input = bytes("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\n0\n\n")
        let t = everySplitResponses(input)
        #expect(t.events == [
            .responseHead(HTTPResponseHead(status: 200, reason: "OK", headers: ["Transfer-Encoding": "chunked"])),
            .body("ok"), .end(trailers: [:]),
        ])
    }

    @Test func statusLineVariants() {
        let noReason = everySplitResponses(bytes("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"))
        #expect(noReason.events.first == .responseHead(HTTPResponseHead(status: 200, reason: "", headers: ["Content-Length": "0"])))
        let emptyReason = everySplitResponses(bytes("HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n"))
        #expect(emptyReason.events.first == .responseHead(HTTPResponseHead(status: 500, reason: "", headers: ["Content-Length": "0"])))
        let spaces = everySplitResponses(bytes("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"))
        #expect(spaces.events.first == .responseHead(HTTPResponseHead(status: 418, reason: "I'm a teapot", headers: ["Content-Length": "0"])))
    }

    @Test func duplicateIdenticalContentLengthIsAccepted() {
        let t = everySplitResponses(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2, 2\r\n\r\nok"))
        #expect(t.events.dropFirst() == [.body("ok"), .end(trailers: [:])])
    }

    // MARK: Errors

    func expectError(_ input: String, _ error: HTTPParseError, requestMethods: [HTTPMethod] = [],
                     limits: HTTPDecoderLimits = HTTPDecoderLimits(),
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let t = everySplitResponses(bytes(input), requestMethods: requestMethods, limits: limits,
                                    sourceLocation: sourceLocation)
        #expect(t.events.last == .error(error), sourceLocation: sourceLocation)
    }

    @Test func invalidStatusLines() {
        expectError("HTTP/1.1 2000 OK\r\n\r\n", .invalidStatusLine("HTTP/1.1 2000 OK"))
        expectError("HTTP/1.1 20 OK\r\n\r\n", .invalidStatusLine("HTTP/1.1 20 OK"))
        expectError("HTTP/1.1 099 Low\r\n\r\n", .invalidStatusLine("HTTP/1.1 099 Low"))
        expectError("HTTP/1.1  200 OK\r\n\r\n", .invalidStatusLine("HTTP/1.1  200 OK"))
        expectError("HTTP/1.1 200 O\rK\r\n\r\n", .invalidStatusLine("HTTP/1.1 200 O\\x0DK"))
        expectError("SSH-2.0-OpenSSH_9.6\r\n", .invalidStatusLine("SSH-2.0-OpenSSH_9.6"))
        expectError("HTTP/2.0 200 OK\r\n\r\n", .unsupportedVersion("HTTP/2.0"))
        let long = String(repeating: "A", count: 200)
        expectError("HTTP/1.1 200 \(long)\u{1}\r\n\r\n",
                    .invalidStatusLine(String(("HTTP/1.1 200 " + long).prefix(64)) + "…"))
    }

    @Test func startLineLimit() {
        let limits = HTTPDecoderLimits(maxStartLineLength: 20)
        expectError("HTTP/1.1 200 TooLong22\r\n\r\n", .startLineTooLong(limit: 20), limits: limits)
        // 20 bytes is allowed.
        let ok = everySplitResponses(bytes("HTTP/1.1 200 OKOKOKO\r\nContent-Length: 0\r\n\r\n"), limits: limits)
        #expect(ok.events.count == 2)
        // A line without end is rejected once it cannot fit, not at EOF.
        let t = everySplitResponses(bytes("HTTP/1.1 200 " + String(repeating: "x", count: 50)), limits: limits,
                                    finish: false)
        #expect(t.events == [.error(.startLineTooLong(limit: 20))])
    }

    @Test func headerSectionLimit() {
        let limits = HTTPDecoderLimits(maxHeaderBytes: 30)
        // Field lines count without their CRLF: 13 + 15 + 17 = 45 bytes fit in 47.
        let ok = everySplitResponses(bytes("HTTP/1.1 200 OK\r\nA: 0123456789\r\nB: 0123456789ab\r\nContent-Length: 0\r\n\r\n"),
                                     limits: HTTPDecoderLimits(maxHeaderBytes: 47))
        #expect(ok.events.count == 2)
        expectError("HTTP/1.1 200 OK\r\nA: 0123456789\r\nB: 0123456789abcdefgh\r\n\r\n", .headerTooLarge(limit: 30),
                    limits: limits)
        // 13 + 17 = 30 bytes is exactly the limit.
        let exact = everySplitResponses(bytes("HTTP/1.1 200 OK\r\nA: 0123456789\r\nB: 0123456789abcd\r\n\r\n"),
                                        limits: limits)
        #expect(exact.events.count == 2)
        let unterminated = everySplitResponses(bytes("HTTP/1.1 200 OK\r\nX: " + String(repeating: "v", count: 100)),
                                               limits: limits, finish: false)
        #expect(unterminated.events == [.error(.headerTooLarge(limit: 30))])
        // The default is 64 KiB (too big an input for every split).
        var decoder = HTTPResponseDecoder()
        decoder.append(bytes("HTTP/1.1 200 OK\r\nBig: " + String(repeating: "v", count: 65536) + "\r\n\r\n"))
        #expect(throws: HTTPParseError.headerTooLarge(limit: 65536)) { try decoder.next() }
    }

    @Test func headerCountLimit() {
        let fields = (0..<5).map { "X-\($0): v\r\n" }.joined()
        expectError("HTTP/1.1 200 OK\r\n" + fields + "\r\n", .tooManyHeaders(limit: 4),
                    limits: HTTPDecoderLimits(maxHeaderCount: 4))
        let ok = everySplitResponses(bytes("HTTP/1.1 200 OK\r\n" + fields + "Content-Length: 0\r\n\r\n"),
                                     limits: HTTPDecoderLimits(maxHeaderCount: 6))
        #expect(ok.events.count == 2)
        let many = (0..<257).map { "X-\($0): v\r\n" }.joined()
        #expect(HTTPDecoderLimits().maxHeaderCount == 256)
        var decoder = HTTPResponseDecoder()
        decoder.append(bytes("HTTP/1.1 200 OK\r\n" + many + "\r\n"))
        #expect(throws: HTTPParseError.tooManyHeaders(limit: 256)) { try decoder.next() }
    }

    @Test func chunkErrors() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        expectError(head + "zz\r\n", .invalidChunkSize("zz"))
        expectError(head + "\r\n", .invalidChunkSize(""))
        expectError(head + "-5\r\n", .invalidChunkSize("-5"))
        expectError(head + "5 5\r\nhello\r\n", .invalidChunkSize("5 5"))
        expectError(head + "0x5\r\nhello\r\n", .invalidChunkSize("0x5"))
        expectError(head + "fffffffffffffffff\r\n", .invalidChunkSize("fffffffffffffffff"))
        expectError(head + "5\r\nhelloXX", .missingChunkTerminator)
        expectError(head + "5\r\nhello\rX", .missingChunkTerminator)
        expectError(head + "3;" + String(repeating: "e", count: 40) + "\r\nabc\r\n0\r\n\r\n",
                    .chunkSizeLineTooLong(limit: 16), limits: HTTPDecoderLimits(maxChunkSizeLineLength: 16))
        #expect(HTTPDecoderLimits().maxChunkSizeLineLength == 4096)
        let ok = everySplitResponses(bytes(head + "2;abcdefghijklm\r\nok\r\n0\r\n\r\n"),
                                     limits: HTTPDecoderLimits(maxChunkSizeLineLength: 16))
        #expect(ok.events.dropFirst() == [.body("ok"), .end(trailers: [:])])
    }

    @Test func framingConflicts() {
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                    .contentLengthWithTransferEncoding)
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                    .contentLengthWithTransferEncoding)
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                    .conflictingContentLength("5, 6"))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!", .conflictingContentLength("5, 6"))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", .invalidContentLength("abc"))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .invalidContentLength("-1"))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n", .invalidContentLength("+1"))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", .invalidContentLength("1 2"))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", .invalidContentLength(""))
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                    .invalidContentLength("99999999999999999999"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                    .unsupportedTransferEncoding("chunked, gzip"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                    .unsupportedTransferEncoding("chunked, chunked"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", .unsupportedTransferEncoding(""))
    }

    @Test func malformedFieldLines() {
        expectError("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", .obsoleteLineFolding(" folded"))
        expectError("HTTP/1.1 200 OK\r\nX-A: 1\r\n\tfolded\r\n\r\n", .obsoleteLineFolding("\\x09folded"))
        expectError("HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n", .invalidHeaderLine("X-A : 1"))
        expectError("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", .invalidHeaderLine("no colon here"))
        expectError("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", .invalidHeaderLine(": empty name"))
        expectError("HTTP/1.1 200 OK\r\nX-A: 1\r2\r\n\r\n", .invalidHeaderValue(name: "X-A"))
        expectError("HTTP/1.1 200 OK\r\nX-A: 1\u{0}2\r\n\r\n", .invalidHeaderValue(name: "X-A"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n",
                    .invalidHeaderLine("Bad Trailer: x"))
    }

    @Test func bodySizeLimit() {
        let limits = HTTPDecoderLimits(maxBodySize: 4)
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", .bodyTooLarge(limit: 4), limits: limits)
        let chunked = everySplitResponses(
            bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), limits: limits)
        #expect(chunked.events.dropFirst() == [.body("abc"), .error(.bodyTooLarge(limit: 4))])
        let untilClose = everySplitResponses(bytes("HTTP/1.1 200 OK\r\n\r\nabcdef"), limits: limits)
        #expect(untilClose.events.dropFirst() == [.body("abcd"), .error(.bodyTooLarge(limit: 4))])
        let exact = everySplitResponses(bytes("HTTP/1.1 200 OK\r\n\r\nabcd"), limits: limits)
        #expect(exact.events.dropFirst() == [.body("abcd"), .end(trailers: [:])])
    }

    @Test func truncatedMessages() {
        expectError("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", .truncatedMessage("with 7 Content-Length body bytes missing"))
        expectError("HTTP/1.1 200 OK\r\nContent-Le", .truncatedMessage("inside the header section"))
        expectError("HTTP/1.1 20", .truncatedMessage("inside a start line"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", .truncatedMessage("with 3 bytes of a chunk missing"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde", .truncatedMessage("before the CRLF after chunk data"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n", .truncatedMessage("inside a chunk-size line"))
        expectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n", .truncatedMessage("inside the trailer section"))
        // Closing between messages is not an error.
        let clean = everySplitResponses(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(clean.events.count == 2)
        #expect(everySplitResponses([]).events.isEmpty)
    }

    @Test func errorsAreSticky() {
        var decoder = HTTPResponseDecoder()
        decoder.append(bytes("HTTP/1.1 abc\r\n\r\n"))
        #expect(throws: HTTPParseError.invalidStatusLine("HTTP/1.1 abc")) { try decoder.next() }
        decoder.append(bytes("HTTP/1.1 200 OK\r\n\r\n"))
        #expect(throws: HTTPParseError.invalidStatusLine("HTTP/1.1 abc")) { try decoder.next() }
        #expect(!decoder.isConnectionReusable)
    }

    @Test func errorDescriptionsNameTheProblem() {
        #expect(HTTPParseError.headerTooLarge(limit: 65536).description.contains("65536"))
        #expect(HTTPParseError.invalidStatusLine("HTTP/1.1 abc").description.contains("HTTP/1.1 abc"))
        #expect(HTTPParseError.contentLengthWithTransferEncoding.description.contains("Transfer-Encoding"))
    }
}
