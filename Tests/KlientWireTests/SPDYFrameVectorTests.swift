import KlientTestSupport
import KlientWire
import Testing

/// Fixed byte vectors written by hand from the SPDY draft 3 layouts (§2.2,
/// §2.6): each is encoded by ``SPDYFrameEncoder`` and decoded by
/// ``SPDYFrameDecoder``.
@Suite struct SPDYFrameVectorTests {
    /// Frames without header blocks: exact bytes both ways.
    static let plainVectors: [(SPDYFrame, String)] = [
        // DATA: stream id 1, FIN, length 2, "hi".
        (.data(streamID: 1, flags: .fin, payload: Array("hi".utf8)),
         "00000001 01000002 6869"),
        // DATA: empty, no flags, highest stream id.
        (.data(streamID: 0x7FFF_FFFF, flags: [], payload: []),
         "7fffffff 00000000"),
        // RST_STREAM: stream 5, CANCEL.
        (.rstStream(streamID: 5, status: .cancel),
         "80030003 00000008 00000005 00000005"),
        // RST_STREAM: stream 7, FRAME_TOO_LARGE (11).
        (.rstStream(streamID: 7, status: .frameTooLarge),
         "80030003 00000008 00000007 0000000b"),
        // SETTINGS: CLEAR_SETTINGS, two entries (persist MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536).
        (.settings(flags: .clearSettings, entries: [
            SPDYSettingsEntry(flags: .persistValue, id: SPDYSettingsEntry.maxConcurrentStreams, value: 100),
            SPDYSettingsEntry(id: SPDYSettingsEntry.initialWindowSize, value: 65536),
         ]),
         "80030004 01000014 00000002 01000004 00000064 00000007 00010000"),
        // SETTINGS: none.
        (.settings(flags: [], entries: []), "80030004 00000004 00000000"),
        // NOOP (type 5).
        (.noop, "80030005 00000000"),
        // PING: id 1 (a client ping).
        (.ping(id: 1), "80030006 00000004 00000001"),
        // PING: id 0xFFFFFFFE.
        (.ping(id: 0xFFFF_FFFE), "80030006 00000004 fffffffe"),
        // GOAWAY: last good stream 7, OK.
        (.goAway(lastGoodStreamID: 7, status: .ok), "80030007 00000008 00000007 00000000"),
        // GOAWAY: 0, PROTOCOL_ERROR.
        (.goAway(lastGoodStreamID: 0, status: .protocolError), "80030007 00000008 00000000 00000001"),
        // WINDOW_UPDATE: stream 1, delta 65536.
        (.windowUpdate(streamID: 1, delta: 65536), "80030009 00000008 00000001 00010000"),
        // WINDOW_UPDATE: session window (stream 0), delta 2^31-1.
        (.windowUpdate(streamID: 0, delta: 0x7FFF_FFFF), "80030009 00000008 00000000 7fffffff"),
    ]

    @Test(arguments: plainVectors.indices)
    func plainFrameEncodes(index: Int) throws {
        let (frame, hex) = Self.plainVectors[index]
        #expect(try SPDYFrameEncoder().encode(frame) == hexBytes(hex))
    }

    @Test(arguments: plainVectors.indices)
    func plainFrameDecodes(index: Int) throws {
        let (frame, hex) = Self.plainVectors[index]
        var decoder = SPDYFrameDecoder()
        decoder.append(hexBytes(hex))
        #expect(try decoder.next() == frame)
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedBytes == 0)
    }

    /// `streamtype: error`, `port: 80` as an uncompressed block (§2.6.10 layout).
    static let rawBlock = hexBytes("""
        00000002
        0000000a 73747265616d74797065  00000005 6572726f72
        00000004 706f7274              00000002 3830
        """)
    static let headers: SPDYHeaders = ["streamtype": "error", "port": "80"]

    @Test func headerBlockLayout() throws {
        #expect(try Self.headers.encodedBlock() == Self.rawBlock)
        #expect(try SPDYHeaders(decodingBlock: Self.rawBlock, streamID: 1, maxPairs: 10) == Self.headers)
    }

    @Test func multipleValuesAreNulJoined() throws {
        var headers = SPDYHeaders()
        headers.add("x", "a")
        headers.add("x", "bc")
        let raw = hexBytes("00000001 00000001 78 00000004 61006263")
        #expect(try headers.encodedBlock() == raw)
        #expect(try SPDYHeaders(decodingBlock: raw, streamID: 1, maxPairs: 10) == headers)
        #expect(headers.values(for: "X") == ["a", "bc"])
        // An empty value alone is legal (§2.6.10).
        let empty = hexBytes("00000001 00000001 78 00000000")
        #expect(try SPDYHeaders(decodingBlock: empty, streamID: 1, maxPairs: 10) == ["x": ""])
    }

    /// SYN_STREAM / SYN_REPLY / HEADERS: the fixed part is checked byte by
    /// byte, and the compressed block must be a zlib stream naming the SPDY
    /// dictionary, ending in a sync flush, that inflates to the hand-written block.
    @Test func synStreamEncodes() throws {
        let bytes = try SPDYFrameEncoder().encode(.synStream(
            streamID: 3, associatedStreamID: 1, priority: 5, slot: 2,
            flags: [.fin, .unidirectional], headers: Self.headers))
        let length = bytes.count - 8
        #expect(Array(bytes[0..<8]) == hexBytes("80030001 03") + spdyBE32(UInt32(length)).suffix(3))
        #expect(Array(bytes[8..<18]) == hexBytes("00000003 00000001 a0 02"))
        let block = Array(bytes[18...])
        #expect(block[0] == 0x78 && (UInt16(block[0]) << 8 | UInt16(block[1])) % 31 == 0)
        #expect(block[1] & 0x20 != 0, "FDICT must be set")
        #expect(Array(block[2..<6]) == hexBytes("e3c6a7c2"))
        #expect(Array(block.suffix(4)) == hexBytes("0000ffff"))
        #expect(try SPDYHeaderBlockDecompressor().decompress(block, limit: 1 << 16) == Self.rawBlock)
    }

    @Test(arguments: [(SPDYFrameKind.synReply, UInt8(2)), (.headers, UInt8(8))])
    func replyAndHeadersEncode(kind: SPDYFrameKind, type: UInt8) throws {
        let frame: SPDYFrame = kind == .synReply
            ? .synReply(streamID: 9, flags: .fin, headers: Self.headers)
            : .headers(streamID: 9, flags: .fin, headers: Self.headers)
        let bytes = try SPDYFrameEncoder().encode(frame)
        #expect(Array(bytes[0..<5]) == [0x80, 0x03, 0x00, type, 0x01])
        #expect(Int(bytes[5]) << 16 | Int(bytes[6]) << 8 | Int(bytes[7]) == bytes.count - 8)
        #expect(Array(bytes[8..<12]) == hexBytes("00000009"))
        #expect(try SPDYHeaderBlockDecompressor().decompress(Array(bytes[12...]), limit: 1 << 16) == Self.rawBlock)
    }

    /// A SYN_STREAM followed by a HEADERS frame whose header blocks are zlib
    /// written by hand with stored (uncompressed) deflate blocks: zlib header
    /// 78 BB (FDICT set), DICTID E3C6A7C2, a stored block, an empty stored
    /// block as the sync flush. The second block continues the same zlib
    /// stream, so it has no zlib header.
    @Test func handWrittenCompressedFramesDecode() throws {
        let synStream = hexBytes("80030001 01000043 00000001 00000000 60 00")
            + hexBytes("78bbe3c6a7c2 00 2900 d6ff") + Self.rawBlock + hexBytes("000000ffff")
        let raw2 = hexBytes("00000001 00000004 706f7274 00000004 38303830")
        let headers = hexBytes("80030008 00000022 00000001")
            + hexBytes("00 1400 ebff") + raw2 + hexBytes("000000ffff")
        var decoder = SPDYFrameDecoder()
        decoder.append(synStream + headers)
        #expect(try decoder.next() == .synStream(streamID: 1, associatedStreamID: 0, priority: 3, slot: 0,
                                                 flags: .fin, headers: Self.headers))
        #expect(try decoder.next() == .headers(streamID: 1, flags: [], headers: ["port": "8080"]))
        #expect(try decoder.next() == nil)
    }

    @Test func headerFramesRoundTrip() throws {
        let encoder = SPDYFrameEncoder()
        var decoder = SPDYFrameDecoder()
        let frames: [SPDYFrame] = [
            .synStream(streamID: 1, associatedStreamID: 0, priority: 0, slot: 0, flags: [], headers: Self.headers),
            .synReply(streamID: 1, flags: [], headers: SPDYHeaders()),
            .headers(streamID: 1, flags: .fin, headers: ["a": "1", "b": "2", "a": "3"]),
            .synStream(streamID: 3, associatedStreamID: 1, priority: 7, slot: 255, flags: .unidirectional,
                       headers: Self.headers),
        ]
        for frame in frames { decoder.append(try encoder.encode(frame)) }
        for frame in frames { #expect(try decoder.next() == frame) }
        #expect(try decoder.next() == nil)
    }

    @Test func dataFrameHeaderAlone() throws {
        var out: [UInt8] = []
        try SPDYFrameEncoder.encodeDataFrameHeader(streamID: 3, flags: .fin, length: 0x10203, into: &out)
        #expect(out == hexBytes("00000003 01010203"))
    }

    /// Frames the wire cannot carry are refused before anything is written or compressed.
    @Test func encoderRejectsInvalidFrames() throws {
        let encoder = SPDYFrameEncoder()
        let cases: [(SPDYFrame, SPDYProtocolError)] = [
            (.data(streamID: 0, flags: [], payload: []), .invalidStreamID(kind: .data, streamID: 0)),
            (.data(streamID: 0x8000_0000, flags: [], payload: []),
             .invalidStreamID(kind: .data, streamID: 0x8000_0000)),
            (.synStream(streamID: 0, associatedStreamID: 0, priority: 0, slot: 0, flags: [], headers: [:]),
             .invalidStreamID(kind: .synStream, streamID: 0)),
            (.synStream(streamID: 1, associatedStreamID: 0, priority: 8, slot: 0, flags: [], headers: [:]),
             .invalidPriority(8)),
            (.synReply(streamID: 0, flags: [], headers: [:]), .invalidStreamID(kind: .synReply, streamID: 0)),
            (.headers(streamID: 0, flags: [], headers: [:]), .invalidStreamID(kind: .headers, streamID: 0)),
            (.rstStream(streamID: 0, status: .cancel), .invalidStreamID(kind: .rstStream, streamID: 0)),
            (.rstStream(streamID: 1, status: SPDYRstStatus(rawValue: 0)), .invalidRstStatus(streamID: 1)),
            (.ping(id: 0), .invalidStreamID(kind: .ping, streamID: 0)),
            (.settings(flags: [], entries: [SPDYSettingsEntry(id: 0x100_0000, value: 1)]),
             .invalidSettingsID(0x100_0000)),
            (.windowUpdate(streamID: 1, delta: 0), .invalidWindowDelta(0)),
            (.windowUpdate(streamID: 1, delta: 0x8000_0000), .invalidWindowDelta(0x8000_0000)),
            (.synReply(streamID: 1, flags: [], headers: ["Port": "80"]),
             .uppercaseHeaderName(streamID: 1, name: "Port")),
            (.synReply(streamID: 1, flags: [], headers: ["": "80"]), .emptyHeaderName(streamID: 1)),
            (.synReply(streamID: 1, flags: [], headers: SPDYHeaders([.init(name: "a", values: ["1"]),
                                                                     .init(name: "a", values: ["2"])])),
             .duplicateHeaderName(streamID: 1, name: "a")),
            (.synReply(streamID: 1, flags: [], headers: SPDYHeaders([.init(name: "a", values: [])])),
             .invalidHeaderValue(streamID: 1, name: "a")),
            (.synReply(streamID: 1, flags: [], headers: SPDYHeaders([.init(name: "a", values: ["x", ""])])),
             .invalidHeaderValue(streamID: 1, name: "a")),
            (.synReply(streamID: 1, flags: [], headers: ["a": "x\0y"]), .invalidHeaderValue(streamID: 1, name: "a")),
        ]
        for (frame, expected) in cases {
            var out: [UInt8] = [0xAA]
            #expect(throws: expected) { try encoder.encode(frame, into: &out) }
            #expect(out == [0xAA], "output must be untouched on error")
        }
        // The failed header frames above did not advance the compression context.
        var decoder = SPDYFrameDecoder()
        decoder.append(try encoder.encode(.synReply(streamID: 1, flags: [], headers: Self.headers)))
        #expect(try decoder.next() == .synReply(streamID: 1, flags: [], headers: Self.headers))
    }

    @Test func statusDescriptions() {
        #expect(SPDYRstStatus.frameTooLarge.description == "FRAME_TOO_LARGE")
        #expect((1...11).map { SPDYRstStatus(rawValue: $0).description }.allSatisfy { !$0.hasPrefix("status") })
        #expect(SPDYRstStatus(rawValue: 12).description == "status 12")
        #expect(SPDYGoAwayStatus.internalError.description == "INTERNAL_ERROR")
    }
}
