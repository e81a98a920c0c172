import KlientTestSupport
import Testing
@testable import KlientWire

@Suite("WebSocket message assembly")
struct WebSocketMessageAssemblerTests {
    func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }

    @Test("Fragmented text with an interleaved ping, over every split (server receiving masked frames)")
    func fragmentedWithPing() {
        let bytes = WSTest.clientBytes([
            frame(.text, Array("Hel".utf8), fin: false),
            frame(.ping, Array("are you there".utf8)),
            frame(.continuation, Array("lo, ".utf8), fin: false),
            frame(.pong, []),
            frame(.continuation, Array("world".utf8)),
            frame(.binary, [0, 1, 2]),
        ])
        let (reference, mismatches) = decodeEverySplit(bytes) { WSTest.decodeMessages($0, role: .server) }
        #expect(mismatches.isEmpty)
        #expect(reference == WSTest.MessageOutcome(messages: [
            .ping(Array("are you there".utf8)), .pong([]), .text("Hello, world"), .binary([0, 1, 2]),
        ]))
    }

    @Test("Close sequences over every split")
    func closeSequences() {
        let bytes = WSTest.serverBytes([
            frame(.binary, [1, 2, 3]),
            frame(.close, [0x03, 0xE8] + Array("bye".utf8)),
        ])
        let (reference, mismatches) = decodeEverySplit(bytes) { WSTest.decodeMessages($0, role: .client) }
        #expect(mismatches.isEmpty)
        #expect(reference == WSTest.MessageOutcome(messages: [.binary([1, 2, 3]), .close(code: .normalClosure, reason: "bye")]))

        let empty = WSTest.serverBytes([frame(.close, [])])
        let (r2, m2) = decodeEverySplit(empty) { WSTest.decodeMessages($0, role: .client) }
        #expect(m2.isEmpty)
        #expect(r2 == WSTest.MessageOutcome(messages: [.close(code: nil, reason: "")]))

        let invalid = WSTest.serverBytes([frame(.close, [0x03])])
        let (r3, m3) = decodeEverySplit(invalid) { WSTest.decodeMessages($0, role: .client) }
        #expect(m3.isEmpty)
        #expect(r3 == WSTest.MessageOutcome(error: .truncatedCloseCode))
    }

    @Test("A multi-byte character split across fragments is valid UTF-8, over every split")
    func utf8AcrossFragments() {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC] // "€"
        let bytes = WSTest.serverBytes([
            frame(.text, [0x41, euro[0]], fin: false),
            frame(.continuation, [euro[1]], fin: false),
            frame(.continuation, [euro[2], 0x42]),
        ])
        let (reference, mismatches) = decodeEverySplit(bytes) { WSTest.decodeMessages($0, role: .client) }
        #expect(mismatches.isEmpty)
        #expect(reference == WSTest.MessageOutcome(messages: [.text("A€B")]))
    }

    @Test("Invalid UTF-8 in a complete text message fails with 1007", arguments: [
        [0xFF] as [UInt8], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
    ])
    func invalidUTF8(payload: [UInt8]) {
        let bytes = WSTest.serverBytes([frame(.text, payload)])
        let (reference, mismatches) = decodeEverySplit(bytes) { WSTest.decodeMessages($0, role: .client) }
        #expect(mismatches.isEmpty)
        #expect(reference == WSTest.MessageOutcome(error: .invalidUTF8))
        #expect(WebSocketProtocolError.invalidUTF8.closeCode == .invalidPayloadData)
    }

    @Test("Binary messages are not UTF-8 checked")
    func binaryNotChecked() throws {
        var assembler = WebSocketMessageAssembler()
        #expect(try assembler.receive(frame(.binary, [0xFF, 0xFE])) == .binary([0xFF, 0xFE]))
    }

    @Test("Continuation without a start fails with 1002")
    func continuationWithoutStart() {
        var assembler = WebSocketMessageAssembler()
        #expect(throws: WebSocketProtocolError.continuationWithoutStart) { try assembler.receive(frame(.continuation, [1])) }
        #expect(WebSocketProtocolError.continuationWithoutStart.closeCode == .protocolError)
    }

    @Test("A new data frame during a fragmented message fails with 1002", arguments: [WebSocketOpcode.text, .binary])
    func newDataFrameDuringFragmentation(opcode: WebSocketOpcode) throws {
        var assembler = WebSocketMessageAssembler()
        #expect(try assembler.receive(frame(.binary, [1], fin: false)) == nil)
        #expect(assembler.isAssemblingMessage)
        #expect(throws: WebSocketProtocolError.dataFrameDuringFragmentedMessage(opcode)) {
            try assembler.receive(frame(opcode, [2]))
        }
        // Stays failed.
        #expect(throws: WebSocketProtocolError.dataFrameDuringFragmentedMessage(opcode)) {
            try assembler.receive(frame(.ping, []))
        }
    }

    @Test("Message size limit: single frame and across fragments; exactly the limit is fine")
    func messageLimit() throws {
        var single = WebSocketMessageAssembler(maxMessageSize: 10)
        #expect(try single.receive(frame(.binary, Array(repeating: 0, count: 10))) == .binary(Array(repeating: 0, count: 10)))
        #expect(throws: WebSocketProtocolError.messageTooLarge(length: 11, limit: 10)) {
            try single.receive(frame(.binary, Array(repeating: 0, count: 11)))
        }

        var fragmented = WebSocketMessageAssembler(maxMessageSize: 10)
        #expect(try fragmented.receive(frame(.text, Array("abcdef".utf8), fin: false)) == nil)
        #expect(try fragmented.receive(frame(.ping, [])) == .ping([]))
        #expect(throws: WebSocketProtocolError.messageTooLarge(length: 12, limit: 10)) {
            try fragmented.receive(frame(.continuation, Array("ghijkl".utf8), fin: false))
        }
        #expect(WebSocketProtocolError.messageTooLarge(length: 12, limit: 10).closeCode == .messageTooBig)
        #expect(WebSocketMessageAssembler().maxMessageSize == 64 << 20)
    }

    @Test("Message limit through the byte decoder, over every split")
    func messageLimitEverySplit() {
        let bytes = WSTest.serverBytes([
            frame(.binary, [1, 2, 3], fin: false),
            frame(.continuation, [4, 5, 6], fin: false),
            frame(.continuation, [7]),
        ])
        let (reference, mismatches) = decodeEverySplit(bytes) { WSTest.decodeMessages($0, role: .client, maxMessageSize: 6) }
        #expect(mismatches.isEmpty)
        #expect(reference == WSTest.MessageOutcome(error: .messageTooLarge(length: 7, limit: 6)))
    }

    @Test("Close payload errors through the assembler")
    func closeErrors() {
        var a1 = WebSocketMessageAssembler()
        #expect(throws: WebSocketProtocolError.invalidCloseCode(1005)) { try a1.receive(frame(.close, [0x03, 0xED])) }
        var a2 = WebSocketMessageAssembler()
        #expect(throws: WebSocketProtocolError.invalidUTF8) { try a2.receive(frame(.close, [0x03, 0xE8, 0xFF])) }
    }
}
