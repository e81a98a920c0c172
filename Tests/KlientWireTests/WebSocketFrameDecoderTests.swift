import KlientTestSupport
import Testing
@testable import KlientWire

@Suite("WebSocket frame decoder")
struct WebSocketFrameDecoderTests {
    let rfcKey = WebSocketMaskingKey(0x37, 0xfa, 0x21, 0x3d)

    @Test("RFC 6455 §5.7 vectors decode, over every split")
    func rfcVectors() {
        let unmasked = WSTest.hex("81 05 48 65 6c 6c 6f")
        let (client, m1) = decodeEverySplit(unmasked) { WSTest.decodeFrames($0, role: .client) }
        #expect(m1.isEmpty)
        #expect(client == WSTest.FrameOutcome(frames: [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))]))

        let masked = WSTest.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        let (server, m2) = decodeEverySplit(masked) { WSTest.decodeFrames($0, role: .server) }
        #expect(m2.isEmpty)
        #expect(server == WSTest.FrameOutcome(frames: [WebSocketFrame(opcode: .text, maskingKey: rfcKey, payload: Array("Hello".utf8))]))
    }

    @Test("16- and 64-bit lengths decode, over every split")
    func extendedLengths() throws {
        for length in [126, 256, 65535, 65536] {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let frame = WebSocketFrame(opcode: .binary, maskingKey: rfcKey, payload: payload)
            let bytes = WSTest.clientBytes([frame])
            // Every split of a 64 KiB frame is slow; check the split points near the header and sample the rest.
            var decoder = WebSocketFrameDecoder(role: .server)
            decoder.append(bytes)
            #expect(try decoder.next() == frame)
            for split in Array(0...16) + [bytes.count / 2, bytes.count - 1, bytes.count] {
                let outcome = WSTest.decodeFrames([Array(bytes[..<split]), Array(bytes[split...])], role: .server)
                #expect(outcome == WSTest.FrameOutcome(frames: [frame]), "length \(length) split \(split)")
            }
        }
    }

    @Test("Non-minimal lengths are accepted")
    func nonMinimalLength() throws {
        var d1 = WebSocketFrameDecoder(role: .client)
        d1.append(WSTest.hex("82 7E 00 03 01 02 03"))
        #expect(try d1.next()?.payload == [1, 2, 3])
        var d2 = WebSocketFrameDecoder(role: .client)
        d2.append(WSTest.hex("82 7F 00 00 00 00 00 00 00 02 09 08"))
        #expect(try d2.next()?.payload == [9, 8])
    }

    @Test("A stream of several frames decodes identically over every split")
    func severalFrames() {
        let frames = [
            WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
            WebSocketFrame(opcode: .ping, payload: [1, 2]),
            WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)),
            WebSocketFrame(opcode: .binary, payload: Array(repeating: 5, count: 130)),
            WebSocketFrame(opcode: .close, payload: [0x03, 0xE8]),
        ]
        let (reference, mismatches) = decodeEverySplit(WSTest.serverBytes(frames)) { WSTest.decodeFrames($0, role: .client) }
        #expect(mismatches.isEmpty)
        #expect(reference == WSTest.FrameOutcome(frames: frames))
    }

    /// Payloads over the streaming threshold are collected in place as they
    /// arrive; the result must not depend on where the input is split.
    @Test(arguments: [WebSocketRole.client, .server])
    func largeFramesCollectedInPlace(role: WebSocketRole) {
        let big = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let frames = [
            WebSocketFrame(opcode: .binary, payload: big),
            WebSocketFrame(fin: false, opcode: .text, payload: Array(repeating: 0x61, count: 65)),
            WebSocketFrame(opcode: .ping, payload: [9]),
            WebSocketFrame(opcode: .continuation, payload: Array(repeating: 0x62, count: 64)),
            WebSocketFrame(opcode: .binary, payload: Array(big.reversed())),
            WebSocketFrame(opcode: .binary, payload: [1, 2, 3]),
        ]
        let input = role == .client ? WSTest.serverBytes(frames) : WSTest.clientBytes(frames)
        let (reference, mismatches) = decodeEverySplit(input) { chunks in
            var decoder = WebSocketFrameDecoder(role: role)
            decoder.streamingThreshold = 64 // exercise in-place collection with small frames
            var frames: [WebSocketFrame] = []
            for chunk in chunks {
                decoder.append(chunk)
                while let frame = try? decoder.next() { frames.append(frame) }
            }
            return frames.map { "\($0.opcode):\($0.payload)" }
        }
        #expect(mismatches.isEmpty)
        #expect(reference == frames.map { "\($0.opcode):\($0.payload)" })
    }

    static let errorCases: [(String, [UInt8], WebSocketRole, WebSocketProtocolError, UInt16)] = [
        ("RSV1", WSTest.hex("C1 00"), .client, .reservedBitsSet(0x40), 1002),
        ("RSV2+3", WSTest.hex("B1 00"), .client, .reservedBitsSet(0x30), 1002),
        ("opcode 3", WSTest.hex("83 00"), .client, .unknownOpcode(3), 1002),
        ("opcode B", WSTest.hex("8B 00"), .client, .unknownOpcode(0xB), 1002),
        ("fragmented ping", WSTest.hex("09 00"), .client, .fragmentedControlFrame(.ping), 1002),
        ("fragmented close", WSTest.hex("08 00"), .client, .fragmentedControlFrame(.close), 1002),
        ("126-byte ping", WSTest.hex("89 7E 00 7E"), .client, .controlFrameTooLong(opcode: .ping, length: 126), 1002),
        ("unmasked frame to server", WSTest.hex("81 00"), .server, .unmaskedFrameFromClient, 1002),
        ("masked frame to client", WSTest.hex("81 80 01 02 03 04"), .client, .maskedFrameFromServer, 1002),
        ("64-bit length MSB", WSTest.hex("82 7F 80 00 00 00 00 00 00 00"), .client, .invalidPayloadLength(1 << 63), 1002),
        ("frame over limit", WSTest.hex("82 7F 00 00 00 00 00 01 00 00"), .client, .frameTooLarge(length: 65536, limit: 1000), 1009),
    ]

    @Test("Each framing violation throws its error and maps to its close code, over every split",
          arguments: errorCases.indices)
    func errors(index: Int) {
        let (name, bytes, role, error, code) = Self.errorCases[index]
        let (reference, mismatches) = decodeEverySplit(bytes) { WSTest.decodeFrames($0, role: role, maxFrameSize: 1000) }
        #expect(mismatches.isEmpty, "\(name)")
        #expect(reference == WSTest.FrameOutcome(error: error), "\(name)")
        #expect(error.closeCode.rawValue == code, "\(name)")
        #expect(!error.description.isEmpty)
    }

    @Test("Limit errors fire from the header alone, before the payload arrives")
    func earlyLimit() throws {
        var decoder = WebSocketFrameDecoder(role: .client, maxFrameSize: 200)
        decoder.append(WSTest.hex("82 7E 00 C9"))
        #expect(throws: WebSocketProtocolError.frameTooLarge(length: 201, limit: 200)) { try decoder.next() }
        var ok = WebSocketFrameDecoder(role: .client, maxFrameSize: 200)
        ok.append(WSTest.hex("82 7E 00 C8") + Array(repeating: 0, count: 200))
        #expect(try ok.next()?.payload.count == 200)
    }

    @Test("A failed decoder stays failed")
    func staysFailed() {
        var decoder = WebSocketFrameDecoder(role: .client)
        decoder.append(WSTest.hex("C1 00"))
        #expect(throws: WebSocketProtocolError.reservedBitsSet(0x40)) { try decoder.next() }
        decoder.append(WSTest.hex("81 00"))
        #expect(throws: WebSocketProtocolError.reservedBitsSet(0x40)) { try decoder.next() }
    }

    @Test("Incomplete input returns nil and keeps the bytes")
    func incomplete() throws {
        var decoder = WebSocketFrameDecoder(role: .client)
        decoder.append(WSTest.hex("82 7E 01"))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 3)
    }
}
