/// The HTTP/1.1 message state machine shared by ``HTTPRequestDecoder`` and
/// ``HTTPResponseDecoder``: start line, header section, body framing
/// (RFC 9112 §6), chunked coding (§7.1), keep-alive (§9.3) and upgrade hand-off.
///
/// Line endings: CRLF, and a bare LF is accepted everywhere a line ends (start
/// line, fields, chunk-size lines, after chunk data, trailers), as RFC 9112 §2.2
/// permits. A CR anywhere else is rejected by the character checks.
struct HTTPMessageParser: Sendable {
    enum Role: Sendable { case request, response }

    enum Output: Sendable {
        case requestHead(HTTPRequestHead)
        case responseHead(HTTPResponseHead)
        case body([UInt8])
        case end
        case upgrade([UInt8])
    }

    enum State: Sendable, Equatable {
        case idle
        case headers
        case fixedBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case bodyUntilClose
        case endPending
        case upgradePending
        case awaitingUpgradeDecision
        case upgraded
        case closed
    }

    private enum StartLine: Sendable {
        case request(HTTPMethod, String, HTTPVersion)
        case response(HTTPVersion, Int, String)
    }

    let role: Role
    let limits: HTTPDecoderLimits
    private(set) var buffer = ByteBuffer()
    private(set) var state: State = .idle
    /// Bytes at the front of `buffer` already searched for LF without success.
    private var scanOffset = 0
    private(set) var inputEnded = false
    private var failure: HTTPParseError?

    private var startLine: StartLine?
    private var headers = HTTPHeaders()
    private(set) var trailers = HTTPHeaders()
    /// Bytes of the header or trailer section read so far, for `maxHeaderBytes`.
    private var sectionBytes = 0
    private var bodyBytes = 0
    private var keepAlive = true
    private var upgradeAfterBody = false
    private var awaitingFinalResponse = false
    private var requestMethods: [HTTPMethod] = []

    init(role: Role, limits: HTTPDecoderLimits) {
        self.role = role
        self.limits = limits
    }

    // MARK: Caller controls

    mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        // After a message that closes the connection nothing more is parsed; don't hold it.
        guard state != .closed else { return }
        buffer.append(bytes)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard state != .closed else { return }
        buffer.append(bytes)
    }

    mutating func finish() { inputEnded = true }

    mutating func expectResponse(to method: HTTPMethod) { requestMethods.append(method) }

    var isConnectionReusable: Bool { failure == nil && state == .idle && !awaitingFinalResponse }

    var isAwaitingUpgradeDecision: Bool { state == .awaitingUpgradeDecision }

    mutating func acceptUpgrade() -> [UInt8] {
        precondition(state == .awaitingUpgradeDecision, "acceptUpgrade() without a pending upgrade request")
        state = .upgraded
        return takeRemainingBytes()
    }

    mutating func declineUpgrade() {
        precondition(state == .awaitingUpgradeDecision, "declineUpgrade() without a pending upgrade request")
        upgradeAfterBody = false
        state = keepAlive ? .idle : .closed
    }

    mutating func takeRemainingBytes() -> [UInt8] {
        scanOffset = 0
        return buffer.readAll()
    }

    // MARK: Decoding

    mutating func next() throws(HTTPParseError) -> Output? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> Output? {
        while true {
            switch state {
            case .idle:
                let limit = limits.maxStartLineLength
                guard let line = try readLine(limit: limit, tooLong: .startLineTooLong(limit: limit)) else {
                    if inputEnded {
                        if !buffer.isEmpty { throw .truncatedMessage("inside a start line") }
                        if awaitingFinalResponse {
                            throw .truncatedMessage("after an interim 1xx response, before the final response")
                        }
                    }
                    return nil
                }
                // RFC 9112 §2.2: ignore empty lines before a start line.
                if line.isEmpty { continue }
                startLine = try parseStartLine(line)
                headers = HTTPHeaders()
                sectionBytes = 0
                state = .headers

            case .headers:
                guard let line = try readSectionLine() else {
                    if inputEnded { throw .truncatedMessage("inside the header section") }
                    return nil
                }
                if line.isEmpty {
                    if let head = try completeHead() { return head }
                    continue
                }
                try addField(line, to: &headers)

            case .fixedBody(let remaining):
                guard !buffer.isEmpty else {
                    if inputEnded { throw .truncatedMessage("with \(remaining) Content-Length body bytes missing") }
                    return nil
                }
                let n = min(remaining, buffer.readableBytes)
                state = n == remaining ? .endPending : .fixedBody(remaining: remaining - n)
                return .body(take(n))

            case .chunkSizeLine:
                let limit = limits.maxChunkSizeLineLength
                guard let line = try readLine(limit: limit, tooLong: .chunkSizeLineTooLong(limit: limit)) else {
                    if inputEnded { throw .truncatedMessage("inside a chunk-size line") }
                    return nil
                }
                let size = try Self.parseChunkSize(line)
                if size == 0 {
                    trailers = HTTPHeaders()
                    sectionBytes = 0
                    state = .trailers
                } else {
                    try countBody(size)
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                guard !buffer.isEmpty else {
                    if inputEnded { throw .truncatedMessage("with \(remaining) bytes of a chunk missing") }
                    return nil
                }
                let n = min(remaining, buffer.readableBytes)
                state = n == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - n)
                return .body(take(n))

            case .chunkDataEnd:
                guard let first = buffer.peek(at: 0) else {
                    if inputEnded { throw .truncatedMessage("before the CRLF after chunk data") }
                    return nil
                }
                if first == HTTPSyntax.lf {
                    buffer.skip(1)
                } else if first == HTTPSyntax.cr {
                    guard let second = buffer.peek(at: 1) else {
                        if inputEnded { throw .truncatedMessage("before the CRLF after chunk data") }
                        return nil
                    }
                    guard second == HTTPSyntax.lf else { throw .missingChunkTerminator }
                    buffer.skip(2)
                } else {
                    throw .missingChunkTerminator
                }
                scanOffset = 0
                state = .chunkSizeLine

            case .trailers:
                guard let line = try readSectionLine() else {
                    if inputEnded { throw .truncatedMessage("inside the trailer section") }
                    return nil
                }
                if line.isEmpty {
                    state = .endPending
                    continue
                }
                try addField(line, to: &trailers)

            case .bodyUntilClose:
                if !buffer.isEmpty {
                    var n = buffer.readableBytes
                    if let max = limits.maxBodySize {
                        // Deliver up to the limit first so every split of the input
                        // yields the same bytes before the error.
                        guard bodyBytes < max else { throw .bodyTooLarge(limit: max) }
                        n = min(n, max - bodyBytes)
                    }
                    bodyBytes += n
                    return .body(take(n))
                }
                guard inputEnded else { return nil }
                state = .endPending

            case .endPending:
                if upgradeAfterBody {
                    state = .awaitingUpgradeDecision
                } else {
                    state = keepAlive ? .idle : .closed
                    if state == .closed { buffer = ByteBuffer() }
                }
                return .end

            case .upgradePending:
                state = .upgraded
                return .upgrade(takeRemainingBytes())

            case .awaitingUpgradeDecision, .upgraded, .closed:
                return nil
            }
        }
    }

    // MARK: Lines

    /// Consumes one line (without its CRLF or LF), or returns nil if no LF has
    /// arrived yet. Throws `tooLong` as soon as the line cannot fit `limit`.
    private mutating func readLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> [UInt8]? {
        guard let lf = buffer.firstIndex(of: HTTPSyntax.lf, from: scanOffset) else {
            scanOffset = buffer.readableBytes
            // +1: the last byte may be the CR of a CRLF whose LF has not arrived.
            if buffer.readableBytes > limit + 1 { throw tooLong }
            return nil
        }
        var end = lf
        if end > 0 && buffer.peek(at: end - 1) == HTTPSyntax.cr { end -= 1 }
        guard end <= limit else { throw tooLong }
        let line = buffer.read(end)!
        buffer.skip(lf + 1 - end)
        scanOffset = 0
        return line
    }

    /// A header or trailer line, charged to the section's byte budget.
    private mutating func readSectionLine() throws(HTTPParseError) -> [UInt8]? {
        let limit = limits.maxHeaderBytes
        guard let line = try readLine(limit: limit - sectionBytes, tooLong: .headerTooLarge(limit: limit)) else {
            return nil
        }
        sectionBytes += line.count
        return line
    }

    private mutating func take(_ count: Int) -> [UInt8] {
        scanOffset = 0
        return buffer.read(count)!
    }

    private mutating func countBody(_ count: Int) throws(HTTPParseError) {
        guard let max = limits.maxBodySize else { return }
        guard count <= max - bodyBytes else { throw .bodyTooLarge(limit: max) }
        bodyBytes += count
    }

    // MARK: Head

    private func parseStartLine(_ line: [UInt8]) throws(HTTPParseError) -> StartLine {
        switch role {
        case .request:
            let parts = line.split(separator: HTTPSyntax.sp, omittingEmptySubsequences: false)
            guard parts.count == 3, HTTPSyntax.isToken(parts[0]),
                  !parts[1].isEmpty, parts[1].allSatisfy(HTTPSyntax.isTargetChar)
            else { throw .invalidRequestLine(HTTPSyntax.excerpt(line)) }
            guard let version = HTTPSyntax.parseVersion(parts[2]) else {
                throw .invalidRequestLine(HTTPSyntax.excerpt(line))
            }
            guard version.major == 1 else { throw .unsupportedVersion(HTTPSyntax.excerpt(parts[2])) }
            return .request(HTTPMethod(String(decoding: parts[0], as: UTF8.self)),
                            String(decoding: parts[1], as: UTF8.self), version)
        case .response:
            guard line.count >= 12, let version = HTTPSyntax.parseVersion(line[0..<8]) else {
                throw .invalidStatusLine(HTTPSyntax.excerpt(line))
            }
            guard version.major == 1 else { throw .unsupportedVersion(HTTPSyntax.excerpt(line[0..<8])) }
            let digits = line[9..<12]
            // The SP after the code is required, but servers that omit it with an
            // empty reason are common enough to accept.
            guard line[8] == HTTPSyntax.sp, digits.allSatisfy({ (0x30...0x39).contains($0) }),
                  line.count == 12 || line[12] == HTTPSyntax.sp
            else { throw .invalidStatusLine(HTTPSyntax.excerpt(line)) }
            let status = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            let reason = line.count > 13 ? line[13...] : []
            guard status >= 100, HTTPSyntax.isFieldValue(reason) else {
                throw .invalidStatusLine(HTTPSyntax.excerpt(line))
            }
            return .response(version, status, String(decoding: reason, as: UTF8.self))
        }
    }

    private func addField(_ line: [UInt8], to fields: inout HTTPHeaders) throws(HTTPParseError) {
        if line[0] == HTTPSyntax.sp || line[0] == HTTPSyntax.htab {
            throw .obsoleteLineFolding(HTTPSyntax.excerpt(line))
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon), HTTPSyntax.isToken(line[..<colon]) else {
            throw .invalidHeaderLine(HTTPSyntax.excerpt(line))
        }
        var start = colon + 1, end = line.count
        while start < end, line[start] == HTTPSyntax.sp || line[start] == HTTPSyntax.htab { start += 1 }
        while end > start, line[end - 1] == HTTPSyntax.sp || line[end - 1] == HTTPSyntax.htab { end -= 1 }
        let value = line[start..<end]
        guard HTTPSyntax.isFieldValue(value) else {
            throw .invalidHeaderValue(name: HTTPSyntax.excerpt(line[..<colon]))
        }
        guard fields.count < limits.maxHeaderCount else { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
        fields.add(name: String(decoding: line[..<colon], as: UTF8.self),
                   value: String(decoding: value, as: UTF8.self))
    }

    /// Finishes the head just read: decides the body framing and what follows.
    /// Returns nil for an interim 1xx response, which is skipped.
    private mutating func completeHead() throws(HTTPParseError) -> Output? {
        trailers = HTTPHeaders()
        bodyBytes = 0
        switch startLine! {
        case .request(let method, let target, let version):
            let head = HTTPRequestHead(method: method, target: target, version: version, headers: headers)
            keepAlive = head.isKeepAlive
            upgradeAfterBody = head.isUpgradeRequest
            try enterBody(framing(version: version))
            return .requestHead(head)

        case .response(let version, let status, let reason):
            let head = HTTPResponseHead(version: version, status: status, reason: reason, headers: headers)
            if head.isInformational {
                // RFC 9110 §15.2: interim responses precede the real one; skip them.
                awaitingFinalResponse = true
                state = .idle
                return nil
            }
            awaitingFinalResponse = false
            let method = requestMethods.isEmpty ? HTTPMethod.GET : requestMethods.removeFirst()
            keepAlive = head.isKeepAlive
            if status == 101 || (method == .CONNECT && (200..<300).contains(status)) {
                // The connection now speaks another protocol (RFC 9110 §7.8, §9.3.6).
                keepAlive = false
                state = .upgradePending
            } else if method == .HEAD || status == 204 || status == 304 {
                // RFC 9112 §6.3 rule 1: no body whatever the framing headers say.
                state = .endPending
            } else {
                let framing = try framing(version: version)
                try enterBody(framing == .none ? .untilClose : framing)
            }
            return .responseHead(head)
        }
    }

    private mutating func enterBody(_ framing: HTTPBodyFraming) throws(HTTPParseError) {
        switch framing {
        case .none, .contentLength(0):
            state = .endPending
        case .contentLength(let n):
            try countBody(n)
            state = .fixedBody(remaining: n)
        case .chunked:
            state = .chunkSizeLine
        case .untilClose:
            keepAlive = false
            state = .bodyUntilClose
        }
    }

    /// Body framing from the header fields (RFC 9112 §6.3 rules 3–6). `.none`
    /// means neither field is present.
    private mutating func framing(version: HTTPVersion) throws(HTTPParseError) -> HTTPBodyFraming {
        let lengths = headers.values(for: "content-length")
        if headers.contains(name: "transfer-encoding") {
            guard lengths.isEmpty else { throw .contentLengthWithTransferEncoding }
            let codings = headers.tokens(for: "transfer-encoding").map { $0.lowercased() }
            let chunkedCount = codings.count { $0 == "chunked" }
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing; close afterwards.
            if !version.defaultsToKeepAlive { keepAlive = false }
            if codings.last == "chunked" && chunkedCount == 1 { return .chunked }
            if chunkedCount > 0 || codings.isEmpty || role == .request {
                let joined = headers.values(for: "transfer-encoding").joined(separator: ", ")
                throw .unsupportedTransferEncoding(HTTPSyntax.excerpt(joined))
            }
            return .untilClose
        }
        guard !lengths.isEmpty else { return .none }
        var length: Int?
        for value in lengths {
            for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = HTTPSyntax.trimmingWhitespace(element).utf8
                guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
                    throw .invalidContentLength(HTTPSyntax.excerpt(value))
                }
                let n = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if let length, length != n {
                    throw .conflictingContentLength(HTTPSyntax.excerpt(lengths.joined(separator: ", ")))
                }
                length = n
            }
        }
        return .contentLength(length!)
    }

    /// `chunk-size [ BWS ";" chunk-ext ]`; extensions are checked for control
    /// characters and otherwise ignored (RFC 9112 §7.1.1).
    static func parseChunkSize(_ line: [UInt8]) throws(HTTPParseError) -> Int {
        var size = 0
        var i = 0
        while i < line.count, let digit = hexValue(line[i]) {
            guard size <= Int.max >> 4 else { throw .invalidChunkSize(HTTPSyntax.excerpt(line)) }
            size = size << 4 | digit
            i += 1
        }
        guard i > 0 else { throw .invalidChunkSize(HTTPSyntax.excerpt(line)) }
        while i < line.count, line[i] == HTTPSyntax.sp || line[i] == HTTPSyntax.htab { i += 1 }
        guard i == line.count || (line[i] == UInt8(ascii: ";") && HTTPSyntax.isFieldValue(line[i...])) else {
            throw .invalidChunkSize(HTTPSyntax.excerpt(line))
        }
        return size
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }
}
