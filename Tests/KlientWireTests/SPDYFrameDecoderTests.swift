import KlientTestSupport
import KlientWire
import Testing

/// ``SPDYFrameDecoder``: identical results for every split of the input, and
/// the errors of SPDY draft 3 §2.2–2.6 with their stream/session class.
@Suite struct SPDYFrameDecoderTests {
    static let headers: SPDYHeaders = ["streamtype": "data", "port": "8080", "requestid": "0"]

    /// A conversation of every frame type, including compressed SYN_STREAMs
    /// sharing one context, an unknown control frame (skipped) and an
    /// oversize DATA frame (stream error, skipped).
    static func conversation() throws -> (bytes: [UInt8], expected: [SPDYDecodeEvent]) {
        let encoder = SPDYFrameEncoder()
        let frames: [SPDYFrame] = [
            .synStream(streamID: 1, associatedStreamID: 0, priority: 0, slot: 0, flags: .fin,
                       headers: ["streamtype": "error", "port": "8080", "requestid": "0"]),
            .synStream(streamID: 3, associatedStreamID: 0, priority: 0, slot: 0, flags: [], headers: headers),
            .synReply(streamID: 1, flags: [], headers: SPDYHeaders()),
            .data(streamID: 3, flags: [], payload: Array("hello".utf8)),
            .settings(flags: [], entries: [SPDYSettingsEntry(id: 4, value: 100)]),
            .ping(id: 2),
            .headers(streamID: 3, flags: [], headers: ["x-extra": "1"]),
            .windowUpdate(streamID: 3, delta: 1024),
            .noop,
        ]
        var bytes: [UInt8] = []
        for frame in frames { try encoder.encode(frame, into: &bytes) }
        var expected = frames.map(SPDYDecodeEvent.frame)
        // CREDENTIAL (type 10) is not supported: ignored per §2.2.1.
        bytes += spdyRawControlFrame(type: 10, payload: Array(repeating: 0xCC, count: 40))
        // A DATA frame of 100 bytes against a limit of 64: reported, skipped.
        bytes += hexBytes("00000003 00000064") + Array(repeating: 0xDD, count: 100)
        expected.append(.streamError(.dataFrameTooLarge(streamID: 3, length: 100, limit: 64)))
        let tail: [SPDYFrame] = [
            .data(streamID: 3, flags: .fin, payload: []),
            .synStream(streamID: 5, associatedStreamID: 0, priority: 2, slot: 0, flags: [], headers: headers),
            .rstStream(streamID: 5, status: .cancel),
            .goAway(lastGoodStreamID: 5, status: .ok),
        ]
        for frame in tail { try encoder.encode(frame, into: &bytes) }
        expected += tail.map(SPDYDecodeEvent.frame)
        return (bytes, expected)
    }

    static let smallLimits = SPDYFrameDecoder.Limits(maxFrameLength: 64)

    @Test func everySplitGivesTheSameFrames() throws {
        let (bytes, expected) = try Self.conversation()
        // Each run gets a fresh decoder: the decompression context is stateful.
        let result = decodeEverySplit(bytes) { spdyDecodeAll($0, limits: Self.smallLimits) }
        #expect(result.reference == expected)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(3))")
    }

    /// The first SYN_STREAM of a connection starts a zlib stream; the same
    /// bytes sent again (a second connection fed to the same decoder) cannot
    /// be read by the used context, while a fresh decoder reads them.
    @Test func aDecoderBelongsToOneConnection() throws {
        let frame = SPDYFrame.synStream(streamID: 1, associatedStreamID: 0, priority: 0, slot: 0, flags: [],
                                        headers: Self.headers)
        let bytes = try SPDYFrameEncoder().encode(frame)
        var decoder = SPDYFrameDecoder()
        decoder.append(bytes)
        #expect(try decoder.next() == frame)
        decoder.append(bytes)
        do {
            _ = try decoder.next()
            Issue.record("a second zlib stream on the same context must fail")
        } catch {
            guard case .headerCompressionFailed(streamID: 1, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        var fresh = SPDYFrameDecoder()
        fresh.append(bytes)
        #expect(try fresh.next() == frame)
    }

    // MARK: Session errors

    func expectSessionError(_ bytes: [UInt8], _ expected: SPDYProtocolError,
                            limits: SPDYFrameDecoder.Limits = .init(),
                            sourceLocation: SourceLocation = #_sourceLocation) {
        var decoder = SPDYFrameDecoder(limits: limits)
        decoder.append(bytes)
        #expect(throws: expected, sourceLocation: sourceLocation) { while try decoder.next() != nil {} }
        #expect(!expected.isStreamError, sourceLocation: sourceLocation)
        #expect(expected.goAwayStatus == .protocolError, sourceLocation: sourceLocation)
        // Poisoned: the same error again, even with more valid input.
        decoder.append(hexBytes("80030006 00000004 00000001"))
        #expect(throws: expected, sourceLocation: sourceLocation) { try decoder.next() }
        // Every split reports the same error.
        let result = decodeEverySplit(bytes) { spdyDecodeAll($0, limits: limits) }
        #expect(result.reference.last == .sessionError(expected), sourceLocation: sourceLocation)
        #expect(result.mismatches.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func badVersion() {
        expectSessionError(hexBytes("80020006 00000004 00000001"), .unsupportedVersion(2))
        // Version is checked before the type, so unknown types with a bad version fail too.
        expectSessionError(hexBytes("8004ffff 00000000"), .unsupportedVersion(4))
    }

    @Test func oversizeControlFrame() {
        // Announced length 0x100000 + 1 with the default 1 MiB limit: refused
        // from the header alone, before any payload is buffered.
        expectSessionError(hexBytes("80030001 00100001"),
                           .controlFrameTooLarge(kind: .synStream, length: 0x10_0001, limit: 1 << 20))
        expectSessionError(spdyRawControlFrame(type: 4, payload: spdyBE32(9) + Array(repeating: 0, count: 72)),
                           .controlFrameTooLarge(kind: .settings, length: 76, limit: 64), limits: Self.smallLimits)
    }

    @Test func invalidFixedLengths() {
        expectSessionError(hexBytes("80030006 00000005 0000000100"), .invalidFrameLength(kind: .ping, length: 5))
        expectSessionError(hexBytes("80030003 00000004 00000001"), .invalidFrameLength(kind: .rstStream, length: 4))
        expectSessionError(hexBytes("80030007 00000004 00000001"), .invalidFrameLength(kind: .goAway, length: 4))
        expectSessionError(hexBytes("80030009 00000004 00000001"),
                           .invalidFrameLength(kind: .windowUpdate, length: 4))
        expectSessionError(hexBytes("80030001 00000009 000000010000000000"),
                           .invalidFrameLength(kind: .synStream, length: 9))
        expectSessionError(hexBytes("80030002 00000003 000000"), .invalidFrameLength(kind: .synReply, length: 3))
        // SETTINGS whose count disagrees with its length.
        expectSessionError(hexBytes("80030004 0000000c 00000002 00000004 00000064"),
                           .invalidFrameLength(kind: .settings, length: 12))
    }

    @Test func invalidStreamIDs() throws {
        let encoder = SPDYFrameEncoder()
        let block = SPDYHeaderBlockCompressor().compress(try Self.headers.encodedBlock())
        expectSessionError(spdyRawControlFrame(type: 1, payload: spdyBE32(0) + spdyBE32(0) + [0, 0] + block),
                           .invalidStreamID(kind: .synStream, streamID: 0))
        expectSessionError(spdyRawControlFrame(type: 2, payload: spdyBE32(0) + block),
                           .invalidStreamID(kind: .synReply, streamID: 0))
        expectSessionError(spdyRawControlFrame(type: 8, payload: spdyBE32(0) + block),
                           .invalidStreamID(kind: .headers, streamID: 0))
        expectSessionError(hexBytes("00000000 00000001 ff"), .invalidStreamID(kind: .data, streamID: 0))
        // The reserved bit does not make a stream id: 0x80000000 is stream 0.
        expectSessionError(hexBytes("80030003 00000008 80000000 00000005"),
                           .invalidStreamID(kind: .rstStream, streamID: 0))
        expectSessionError(hexBytes("80030003 00000008 00000001 00000000"), .invalidRstStatus(streamID: 1))
        // A valid frame first, then the bad one.
        expectSessionError(try encoder.encode(.ping(id: 1)) + hexBytes("00000000 00000000"),
                           .invalidStreamID(kind: .data, streamID: 0))
    }

    @Test func decompressionBomb() throws {
        let bombHeaders: SPDYHeaders = ["x": String(repeating: "a", count: 1 << 20)]
        let bytes = try SPDYFrameEncoder().encode(.synStream(streamID: 1, associatedStreamID: 0, priority: 0,
                                                             slot: 0, flags: [], headers: bombHeaders))
        #expect(bytes.count < 16 << 10)
        var decoder = SPDYFrameDecoder()
        decoder.append(bytes)
        #expect(throws: SPDYProtocolError.headerBlockTooLarge(streamID: 1, limit: 256 << 10)) { try decoder.next() }
        #expect(throws: SPDYProtocolError.headerBlockTooLarge(streamID: 1, limit: 256 << 10)) { try decoder.next() }
        // A raised limit accepts it.
        var generous = SPDYFrameDecoder(limits: .init(maxHeaderBlockSize: 2 << 20))
        generous.append(bytes)
        #expect(try generous.next()?.kind == .synStream)
    }

    @Test func garbageHeaderBlock() {
        expectSessionError(spdyRawControlFrame(type: 2, payload: spdyBE32(1) + hexBytes("0102030405")),
                           .headerCompressionFailed(streamID: 1, reason: "incorrect header check"))
    }

    // MARK: Stream errors: reported, then decoding goes on with the same context

    /// Sends `block` (raw, compressed on the connection's context) in a
    /// SYN_STREAM for stream 1, then a valid SYN_STREAM 3 on the same context.
    func expectStreamError(block: [UInt8], _ expected: SPDYProtocolError,
                           limits: SPDYFrameDecoder.Limits = .init(),
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let compressor = SPDYHeaderBlockCompressor()
        var bytes = spdyRawControlFrame(type: 1, payload: spdyBE32(1) + spdyBE32(0) + [0, 0]
                                        + compressor.compress(block))
        bytes += spdyRawControlFrame(type: 1, payload: spdyBE32(3) + spdyBE32(0) + [0, 0]
                                     + compressor.compress(try Self.headers.encodedBlock()))
        let good = SPDYFrame.synStream(streamID: 3, associatedStreamID: 0, priority: 0, slot: 0, flags: [],
                                       headers: Self.headers)
        #expect(expected.isStreamError, sourceLocation: sourceLocation)
        #expect(expected.streamID == 1, sourceLocation: sourceLocation)
        let result = decodeEverySplit(bytes) { spdyDecodeAll($0, limits: limits) }
        #expect(result.reference == [.streamError(expected), .frame(good)], sourceLocation: sourceLocation)
        #expect(result.mismatches.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func truncatedHeaderBlock() throws {
        // Announces 2 pairs, carries 1.
        try expectStreamError(block: spdyRawBlock(count: 2, [("port", Array("80".utf8))]),
                              .truncatedHeaderBlock(streamID: 1))
        // A name length running past the end.
        try expectStreamError(block: spdyBE32(1) + spdyBE32(50) + Array("port".utf8),
                              .truncatedHeaderBlock(streamID: 1))
        // Not even a count.
        try expectStreamError(block: [0, 0], .truncatedHeaderBlock(streamID: 1))
    }

    @Test func tooManyPairs() throws {
        let pairs = (0..<5).map { ("h\($0)", Array("v".utf8)) }
        try expectStreamError(block: spdyRawBlock(pairs), .tooManyHeaderPairs(streamID: 1, count: 5, limit: 4),
                              limits: .init(maxHeaderPairs: 4))
        // A huge announced count is refused before any allocation.
        try expectStreamError(block: spdyBE32(0xFFFF_FFFF), .tooManyHeaderPairs(streamID: 1, count: 0xFFFF_FFFF,
                                                                               limit: 1024))
    }

    @Test func headerNameAndValueRules() throws {
        try expectStreamError(block: spdyRawBlock([("Port", Array("80".utf8))]),
                              .uppercaseHeaderName(streamID: 1, name: "Port"))
        try expectStreamError(block: spdyRawBlock([("", Array("80".utf8))]), .emptyHeaderName(streamID: 1))
        try expectStreamError(block: spdyRawBlock([("a", [0x31]), ("a", [0x32])]),
                              .duplicateHeaderName(streamID: 1, name: "a"))
        try expectStreamError(block: spdyRawBlock([("a", [0x31, 0x00])]), .invalidHeaderValue(streamID: 1, name: "a"))
        try expectStreamError(block: spdyRawBlock([("a", [0x00, 0x31])]), .invalidHeaderValue(streamID: 1, name: "a"))
        try expectStreamError(block: spdyRawBlock([("a", [0x31, 0x00, 0x00, 0x32])]),
                              .invalidHeaderValue(streamID: 1, name: "a"))
        try expectStreamError(block: spdyRawBlock([("a", [0xFF])]), .invalidHeaderEncoding(streamID: 1))
        try expectStreamError(block: spdyRawBlock([("a", [0x31])]) + [0x00],
                              .trailingHeaderBlockBytes(streamID: 1, count: 1))
    }

    @Test func oversizeDataFrameIsSkipped() throws {
        let bytes = hexBytes("00000007 01000041") + Array(repeating: 0xAB, count: 65)
            + hexBytes("00000007 01000002 6869")
        let error = SPDYProtocolError.dataFrameTooLarge(streamID: 7, length: 65, limit: 64)
        #expect(error.rstStatus == .frameTooLarge)
        #expect(error.streamID == 7)
        let result = decodeEverySplit(bytes) { spdyDecodeAll($0, limits: Self.smallLimits) }
        #expect(result.reference == [.streamError(error),
                                     .frame(.data(streamID: 7, flags: .fin, payload: Array("hi".utf8)))])
        #expect(result.mismatches.isEmpty)
    }

    // MARK: Tolerance

    @Test func tolerated() throws {
        var decoder = SPDYFrameDecoder()
        // Unknown control type with a big payload arriving in pieces: skipped
        // without buffering.
        decoder.append(spdyRawControlFrame(type: 0x7777, payload: []).prefix(5) + [0x01, 0x00, 0x00])
        #expect(try decoder.next() == nil)
        decoder.append(Array(repeating: 0, count: 40_000))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedBytes == 0)
        decoder.append(Array(repeating: 0, count: 65536 - 40_000) + hexBytes("80030006 00000004 00000000"))
        // PING id 0 and unknown flag bits decode.
        #expect(try decoder.next() == .ping(id: 0))
        decoder.append(hexBytes("80030002 ff000004 00000009"))
        #expect(try decoder.next() == .synReply(streamID: 9, flags: SPDYControlFlags(rawValue: 0xFF),
                                                headers: SPDYHeaders()))
        decoder.append(hexBytes("80030003 00000008 00000009 000000ff"))
        #expect(try decoder.next() == .rstStream(streamID: 9, status: SPDYRstStatus(rawValue: 255)))
        decoder.append(hexBytes("80030009 00000008 00000009 80000000"))
        #expect(try decoder.next() == .windowUpdate(streamID: 9, delta: 0))
    }

    @Test func errorDescriptionsNameTheProblem() {
        #expect(SPDYProtocolError.unsupportedVersion(2).description.contains("version 2"))
        #expect(SPDYProtocolError.dataFrameTooLarge(streamID: 3, length: 9, limit: 8).description
            .contains("FRAME_TOO_LARGE"))
        #expect(SPDYProtocolError.uppercaseHeaderName(streamID: 1, name: "Port").description.contains("\"Port\""))
    }
}
