import Testing
@testable import KlientWire

@Suite("WebSocket close codes and payloads")
struct WebSocketCloseTests {
    @Test("Which codes may appear on the wire")
    func wireValidity() {
        let valid: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
        let invalid: [UInt16] = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]
        for code in valid { #expect(WebSocketCloseCode(code).isValidOnWire, "\(code)") }
        for code in invalid { #expect(!WebSocketCloseCode(code).isValidOnWire, "\(code)") }
        #expect(WebSocketCloseCode(3000).isApplicationCode && WebSocketCloseCode(4999).isApplicationCode)
        #expect(!WebSocketCloseCode.normalClosure.isApplicationCode)
        #expect(WebSocketCloseCode.messageTooBig.description == "1009 (message too big)")
    }

    @Test("Encode: code big-endian plus reason")
    func encode() {
        #expect(WebSocketClosePayload(code: .normalClosure, reason: "bye").encode() == [0x03, 0xE8, 0x62, 0x79, 0x65])
        #expect(WebSocketClosePayload(code: WebSocketCloseCode(4000)).encode() == [0x0F, 0xA0])
        #expect(WebSocketClosePayload(code: nil, reason: "ignored").encode() == [])
        // Codes that never go on the wire become an empty payload.
        #expect(WebSocketClosePayload(code: .noStatusReceived).encode() == [])
        #expect(WebSocketClosePayload(code: .abnormalClosure).encode() == [])
        #expect(WebSocketClosePayload(code: .tlsHandshakeFailure).encode() == [])
    }

    @Test("Encode cuts long reasons to 123 bytes at a character boundary")
    func longReason() throws {
        let ascii = String(repeating: "a", count: 200)
        #expect(WebSocketClosePayload(code: .normalClosure, reason: ascii).encode().count == 125)
        let euros = String(repeating: "€", count: 50) // 150 bytes
        let bytes = WebSocketClosePayload(code: .normalClosure, reason: euros).encode()
        #expect(bytes.count == 2 + 123) // 41 × 3 bytes
        let parsed = try WebSocketClosePayload.parse(bytes)
        #expect(parsed.reason == String(repeating: "€", count: 41))
        let mixed = "ab" + String(repeating: "€", count: 50) // cut falls inside a character
        let mixedBytes = WebSocketClosePayload(code: .normalClosure, reason: mixed).encode()
        #expect(mixedBytes.count == 2 + 122)
        #expect(try WebSocketClosePayload.parse(mixedBytes).reason == "ab" + String(repeating: "€", count: 40))
    }

    @Test("Parse: empty, code only, code with reason")
    func parse() throws {
        #expect(try WebSocketClosePayload.parse([]) == WebSocketClosePayload(code: nil))
        #expect(try WebSocketClosePayload.parse([0x03, 0xE9]) == WebSocketClosePayload(code: .goingAway))
        #expect(try WebSocketClosePayload.parse([0x0B, 0xB8, 0x68, 0x69]) == WebSocketClosePayload(code: WebSocketCloseCode(3000), reason: "hi"))
    }

    @Test("Parse errors and their close codes")
    func parseErrors() {
        #expect(throws: WebSocketProtocolError.truncatedCloseCode) { try WebSocketClosePayload.parse([0x03]) }
        for code: UInt16 in [999, 1004, 1005, 1006, 1015, 2000, 5000] {
            #expect(throws: WebSocketProtocolError.invalidCloseCode(code)) {
                try WebSocketClosePayload.parse([UInt8(code >> 8), UInt8(code & 0xFF)])
            }
        }
        #expect(throws: WebSocketProtocolError.invalidUTF8) { try WebSocketClosePayload.parse([0x03, 0xE8, 0xC3]) }
        #expect(WebSocketProtocolError.truncatedCloseCode.closeCode == .protocolError)
        #expect(WebSocketProtocolError.invalidCloseCode(1005).closeCode == .protocolError)
        #expect(WebSocketProtocolError.invalidUTF8.closeCode == .invalidPayloadData)
    }
}
