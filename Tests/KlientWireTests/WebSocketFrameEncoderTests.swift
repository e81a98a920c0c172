import Testing
@testable import KlientWire

@Suite("WebSocket frame encoder")
struct WebSocketFrameEncoderTests {
    let rfcKey = WebSocketMaskingKey(0x37, 0xfa, 0x21, 0x3d)

    @Test("RFC 6455 §5.7: unmasked \"Hello\"")
    func unmaskedHello() {
        let bytes = WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)))
        #expect(bytes == WSTest.hex("81 05 48 65 6c 6c 6f"))
    }

    @Test("RFC 6455 §5.7: masked \"Hello\"")
    func maskedHello() {
        let frame = WebSocketFrame(opcode: .text, maskingKey: rfcKey, payload: Array("Hello".utf8))
        let bytes = WebSocketFrameEncoder(role: .client).encode(frame)
        #expect(bytes == WSTest.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    @Test("RFC 6455 §5.7: fragmented unmasked text")
    func fragmented() {
        let encoder = WebSocketFrameEncoder(role: .server)
        #expect(encoder.encode(WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8))) == WSTest.hex("01 03 48 65 6c"))
        #expect(encoder.encode(WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8))) == WSTest.hex("80 02 6c 6f"))
    }

    @Test("RFC 6455 §5.7: ping, and masked pong")
    func pingPong() {
        #expect(WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .ping, payload: Array("Hello".utf8)))
            == WSTest.hex("89 05 48 65 6c 6c 6f"))
        #expect(WebSocketFrameEncoder(role: .client).encode(WebSocketFrame(opcode: .pong, maskingKey: rfcKey, payload: Array("Hello".utf8)))
            == WSTest.hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    @Test("RFC 6455 §5.7: 256-byte binary uses a 16-bit length")
    func length256() {
        let bytes = WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .binary, payload: Array(repeating: 0xAB, count: 256)))
        #expect(Array(bytes.prefix(4)) == WSTest.hex("82 7E 01 00"))
        #expect(bytes.count == 4 + 256)
    }

    @Test("RFC 6455 §5.7: 64 KiB binary uses a 64-bit length")
    func length64KiB() {
        let bytes = WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .binary, payload: Array(repeating: 7, count: 65536)))
        #expect(Array(bytes.prefix(10)) == WSTest.hex("82 7F 00 00 00 00 00 01 00 00"))
        #expect(bytes.count == 10 + 65536)
        #expect(bytes[10...].allSatisfy { $0 == 7 })
    }

    @Test("Length encodings are minimal at every boundary", arguments: [
        (0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10),
    ])
    func boundaries(length: Int, headerLength: Int) {
        let bytes = WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .binary, payload: Array(repeating: 1, count: length)))
        #expect(bytes.count == headerLength + length)
        #expect(WebSocketFrameEncoder.headerLength(payloadLength: length, masked: false) == headerLength)
        #expect(WebSocketFrameEncoder.headerLength(payloadLength: length, masked: true) == headerLength + 4)
        switch headerLength {
        case 2: #expect(Int(bytes[1]) == length)
        case 4: #expect(bytes[1] == 126 && Int(bytes[2]) << 8 | Int(bytes[3]) == length)
        default: #expect(bytes[1] == 127)
        }
    }

    /// Byte-at-a-time reference masking.
    func referenceMask(_ payload: [UInt8], _ key: [UInt8], phase: Int = 0) -> [UInt8] {
        payload.enumerated().map { $0.element ^ key[($0.offset + phase) % 4] }
    }

    @Test("Masking matches the byte-wise definition for lengths 0…40 and every phase")
    func maskingAllLengths() {
        let key = WebSocketMaskingKey(0x01, 0x80, 0xFE, 0x5A)
        let keyBytes: [UInt8] = [0x01, 0x80, 0xFE, 0x5A]
        for length in 0...40 {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            for phase in 0..<4 {
                var inPlace = payload
                key.apply(to: &inPlace, phase: phase)
                #expect(inPlace == referenceMask(payload, keyBytes, phase: phase), "length \(length) phase \(phase)")
            }
            // Masking twice restores the payload.
            var twice = payload
            key.apply(to: &twice)
            key.apply(to: &twice)
            #expect(twice == payload)
        }
    }

    @Test("Masking works on unaligned buffers and copying variant")
    func maskingUnaligned() {
        let key = WebSocketMaskingKey(0x11, 0x22, 0x33, 0x44)
        let keyBytes: [UInt8] = [0x11, 0x22, 0x33, 0x44]
        let storage = (0..<80).map { UInt8($0) }
        for offset in 0..<8 {
            for length in [0, 1, 7, 8, 9, 31, 32, 33, 40, 71] where offset + length <= storage.count {
                var buffer = storage
                buffer.withUnsafeMutableBytes { raw in
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<offset + length]))
                }
                var expected = storage
                expected.replaceSubrange(offset..<offset + length,
                                         with: referenceMask(Array(storage[offset..<offset + length]), keyBytes))
                #expect(buffer == expected, "offset \(offset) length \(length)")

                var destination = [UInt8](repeating: 0, count: length + 3)
                storage.withUnsafeBytes { src in
                    destination.withUnsafeMutableBytes { dst in
                        key.applyCopying(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + length]),
                                         to: UnsafeMutableRawBufferPointer(rebasing: dst[3...]))
                    }
                }
                #expect(Array(destination[3...]) == referenceMask(Array(storage[offset..<offset + length]), keyBytes))
            }
        }
    }

    @Test("Client frames get a fresh key; server frames are never masked")
    func roles() {
        let client = WebSocketFrameEncoder(role: .client)
        let frame = WebSocketFrame(opcode: .binary, payload: Array(repeating: 0, count: 64))
        let a = client.encode(frame)
        let b = client.encode(frame)
        #expect(a[1] & 0x80 != 0)
        // Zero payload exposes the key; two random 32-bit keys differ with overwhelming probability.
        #expect(Array(a[2..<6]) != Array(b[2..<6]))
        let server = WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .binary, maskingKey: rfcKey, payload: [1, 2]))
        #expect(server == [0x82, 0x02, 1, 2])
    }

    @Test("All encode variants agree")
    func variantsAgree() {
        let encoder = WebSocketFrameEncoder(role: .client)
        for length in [0, 5, 125, 126, 300, 70000] {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
            let frame = WebSocketFrame(opcode: .binary, maskingKey: rfcKey, payload: payload)
            let whole = encoder.encode(frame)
            var appended: [UInt8] = [9, 9]
            encoder.encode(frame, into: &appended)
            #expect(Array(appended.dropFirst(2)) == whole)
            let raw = payload.withUnsafeBytes { encoder.encode(opcode: .binary, payload: $0, maskingKey: rfcKey) }
            #expect(raw == whole)
            let (header, key) = encoder.encodeHeader(opcode: .binary, payloadLength: length, maskingKey: rfcKey)
            var masked = payload
            key!.apply(to: &masked)
            #expect(header + masked == whole)
        }
    }

    @Test("Encoder output decodes back to the same frame")
    func roundTrip() throws {
        for role in [WebSocketRole.client, .server] {
            let frame = WebSocketFrame(fin: false, opcode: .text, maskingKey: role == .client ? rfcKey : nil, payload: Array("héllo wörld".utf8))
            var decoder = WebSocketFrameDecoder(role: role == .client ? .server : .client)
            decoder.append(WebSocketFrameEncoder(role: role).encode(frame))
            #expect(try decoder.next() == frame)
            #expect(try decoder.next() == nil)
        }
    }

    @Test("RSV bits are written as given")
    func rsvBits() {
        let bytes = WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(rsv1: true, rsv3: true, opcode: .binary))
        #expect(bytes == [0x80 | 0x40 | 0x10 | 0x02, 0x00])
    }
}
