import CZlib
import Foundation
import KlientTestSupport
import KlientWire
import Testing

/// Header block compression (SPDY draft 3, §2.6.10.1): the preset dictionary,
/// one context per direction for the whole connection, sync flushes, limits,
/// and interoperability with an independent zlib (Python's).
@Suite struct SPDYHeaderCompressionTests {
    @Test func dictionaryMatchesTheSpec() {
        let dictionary = SPDYHeaderBlockDictionary.bytes
        #expect(dictionary.count == 1423)
        #expect(dictionary.count == SPDYHeaderBlockDictionary.length)
        let checksum = dictionary.withUnsafeBufferPointer { adler32(1, $0.baseAddress, UInt32($0.count)) }
        #expect(UInt32(checksum) == 0xE3C6_A7C2)
        #expect(SPDYHeaderBlockDictionary.adler32 == 0xE3C6_A7C2)
        // Starts with the length-prefixed word "options", ends with the raw text "enq=0.".
        #expect(Array(dictionary.prefix(11)) == hexBytes("00000007") + Array("options".utf8))
        #expect(Array(dictionary.suffix(6)) == Array("enq=0.".utf8))
    }

    static func portForwardHeaders(_ requestID: Int, type: String) -> SPDYHeaders {
        ["streamtype": type, "port": "8080", "requestid": String(requestID)]
    }

    /// Many blocks through ONE compressor/decompressor pair. The second block
    /// of identical headers is much smaller than the first, because it refers
    /// back to the first inside the shared context; a fresh decompressor
    /// cannot read it on its own.
    @Test func oneContextCarriesAcrossBlocks() throws {
        let compressor = SPDYHeaderBlockCompressor()
        let decompressor = SPDYHeaderBlockDecompressor()
        let raw = try Self.portForwardHeaders(0, type: "error").encodedBlock()
        let first = compressor.compress(raw)
        let second = compressor.compress(raw)
        #expect(second.count * 2 < first.count, "first \(first.count) bytes, second \(second.count) bytes")
        #expect(Array(first.suffix(4)) == hexBytes("0000ffff"))
        #expect(Array(second.suffix(4)) == hexBytes("0000ffff"))
        #expect(try decompressor.decompress(first, limit: 4096) == raw)
        #expect(try decompressor.decompress(second, limit: 4096) == raw)

        #expect(throws: SPDYProtocolError.self) {
            try SPDYHeaderBlockDecompressor().decompress(second, limit: 4096)
        }

        for i in 1...300 {
            let block = try Self.portForwardHeaders(i, type: i % 2 == 0 ? "data" : "error").encodedBlock()
            let compressed = compressor.compress(block)
            #expect(try decompressor.decompress(compressed, limit: 4096) == block)
        }
    }

    @Test func largeBlocksRoundTrip() throws {
        let compressor = SPDYHeaderBlockCompressor(level: 1)
        let decompressor = SPDYHeaderBlockDecompressor()
        // Incompressible-ish values larger than zlib's internal buffers.
        var state: UInt32 = 12345
        let noise = (0..<100_000).map { _ -> Character in
            state = state &* 1_103_515_245 &+ 12345
            return Character(UnicodeScalar(UInt8(0x21 + (state >> 16) % 90)))
        }
        let headers: SPDYHeaders = ["a": String(noise), "b": "short"]
        for _ in 0..<3 {
            let raw = try headers.encodedBlock()
            #expect(try decompressor.decompress(compressor.compress(raw), limit: 1 << 20) == raw)
        }
    }

    @Test func decompressionBombIsRefused() throws {
        let compressor = SPDYHeaderBlockCompressor()
        let decompressor = SPDYHeaderBlockDecompressor()
        let bomb = compressor.compress(try (["x": String(repeating: "a", count: 1 << 20)] as SPDYHeaders).encodedBlock())
        #expect(bomb.count < 64 << 10)
        #expect(throws: SPDYProtocolError.headerBlockTooLarge(streamID: 5, limit: 256 << 10)) {
            try decompressor.decompress(bomb, limit: 256 << 10, streamID: 5)
        }
        // The context is gone: later blocks fail as well.
        let next = compressor.compress(try (["y": "1"] as SPDYHeaders).encodedBlock())
        #expect(throws: SPDYProtocolError.self) { try decompressor.decompress(next, limit: 256 << 10) }
    }

    @Test func limitIsInclusive() throws {
        let raw = try (["x": String(repeating: "b", count: 1000)] as SPDYHeaders).encodedBlock()
        let compressed = SPDYHeaderBlockCompressor().compress(raw)
        #expect(try SPDYHeaderBlockDecompressor().decompress(compressed, limit: raw.count) == raw)
        #expect(throws: SPDYProtocolError.headerBlockTooLarge(streamID: 0, limit: raw.count - 1)) {
            try SPDYHeaderBlockDecompressor().decompress(compressed, limit: raw.count - 1)
        }
    }

    @Test func corruptOrForeignStreamsAreRefused() throws {
        // Not zlib at all.
        #expect(throws: SPDYProtocolError.self) {
            try SPDYHeaderBlockDecompressor().decompress(hexBytes("0102030405060708"), limit: 1024)
        }
        // zlib asking for a different dictionary (DICTID 00000001).
        #expect(throws: SPDYProtocolError.self) {
            try SPDYHeaderBlockDecompressor().decompress(hexBytes("78bb 00000001 0300"), limit: 1024)
        }
    }

    // MARK: Independent check against Python's zlib

    static let pythonInflate = """
        import sys, zlib
        d = zlib.decompressobj(zdict=open(sys.argv[1], 'rb').read())
        for line in sys.stdin:
            line = line.strip()
            if line:
                print(d.decompress(bytes.fromhex(line)).hex())
        """

    static let pythonDeflate = """
        import sys, zlib
        c = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY, zdict=open(sys.argv[1], 'rb').read())
        for line in sys.stdin:
            line = line.strip()
            if line:
                print((c.compress(bytes.fromhex(line)) + c.flush(zlib.Z_SYNC_FLUSH)).hex())
        """

    static func dictionaryFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("klient-spdy-dictionary-\(UUID().uuidString).bin").path
        let ok = SPDYHeaderBlockDictionary.bytes.withUnsafeBytes { raw in
            FileManager.default.createFile(atPath: path, contents: Data(raw))
        }
        guard ok else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    static func blocks() throws -> [[UInt8]] {
        try (0..<20).map { i in
            try portForwardHeaders(i, type: i % 2 == 0 ? "error" : "data").encodedBlock()
        } + [try (["x": String(repeating: "z", count: 5000)] as SPDYHeaders).encodedBlock()]
    }

    @Test(.enabled(if: SPDYPython.available, "python3 is not installed"))
    func pythonInflatesOurBlocks() async throws {
        let dictionary = try Self.dictionaryFile()
        defer { try? FileManager.default.removeItem(atPath: dictionary) }
        let compressor = SPDYHeaderBlockCompressor()
        let blocks = try Self.blocks()
        let input = blocks.map { hexString(compressor.compress($0)) + "\n" }.joined()
        let output = try await SPDYPython.run(script: Self.pythonInflate, arguments: [dictionary], input: input)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines == blocks.map(hexString))
    }

    @Test(.enabled(if: SPDYPython.available, "python3 is not installed"))
    func weInflatePythonBlocks() async throws {
        let dictionary = try Self.dictionaryFile()
        defer { try? FileManager.default.removeItem(atPath: dictionary) }
        let blocks = try Self.blocks()
        let input = blocks.map { hexString($0) + "\n" }.joined()
        let output = try await SPDYPython.run(script: Self.pythonDeflate, arguments: [dictionary], input: input)
        let compressed = output.split(separator: "\n").map { hexBytes(String($0)) }
        try #require(compressed.count == blocks.count)

        // Straight through the decompressor...
        let decompressor = SPDYHeaderBlockDecompressor()
        for (block, wire) in zip(blocks, compressed) {
            #expect(Array(wire.suffix(4)) == hexBytes("0000ffff"))
            #expect(try decompressor.decompress(wire, limit: 1 << 16) == block)
        }
        // ...and as SYN_STREAM frames through the decoder.
        var decoder = SPDYFrameDecoder()
        for (i, wire) in compressed.enumerated() {
            decoder.append(spdyRawControlFrame(type: 1, payload: spdyBE32(UInt32(2 * i + 1)) + spdyBE32(0) + [0, 0] + wire))
        }
        for (i, block) in blocks.enumerated() {
            let expected = try SPDYHeaders(decodingBlock: block, streamID: 1, maxPairs: 10)
            #expect(try decoder.next() == .synStream(streamID: UInt32(2 * i + 1), associatedStreamID: 0, priority: 0,
                                                     slot: 0, flags: [], headers: expected))
        }
        #expect(try decoder.next() == nil)
    }
}
