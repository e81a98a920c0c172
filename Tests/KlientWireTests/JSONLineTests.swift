import KlientTestSupport
import KlientWire
import Testing

/// One decoder output: a line (as text for readable failures) or an error.
enum JSONLineEvent: Equatable {
    case line(String)
    case error(JSONLineError)
}

/// Feeds `chunks`, draining after each (continuing after errors), then finishes.
func decodeJSONLines(_ chunks: [[UInt8]], maxLineLength: Int, finish: Bool = true) -> [JSONLineEvent] {
    var decoder = JSONLineDecoder(maxLineLength: maxLineLength)
    var events: [JSONLineEvent] = []
    func drain() {
        while true {
            do {
                guard let line = try decoder.next() else { return }
                events.append(.line(String(decoding: line, as: UTF8.self)))
            } catch {
                events.append(.error(error))
            }
        }
    }
    for chunk in chunks {
        decoder.append(chunk)
        drain()
    }
    if finish {
        decoder.finish()
        drain()
    }
    return events
}

func everySplitJSONLines(_ input: String, maxLineLength: Int = 1024, finish: Bool = true,
                         sourceLocation: SourceLocation = #_sourceLocation) -> [JSONLineEvent] {
    let (reference, mismatches) = decodeEverySplit(Array(input.utf8)) {
        decodeJSONLines($0, maxLineLength: maxLineLength, finish: finish)
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(3))", sourceLocation: sourceLocation)
    return reference
}

@Suite struct JSONLineTests {
    @Test func linesWithLFAndCRLF() {
        let input = "{\"type\":\"ADDED\",\"object\":{}}\n{\"jsonrpc\":\"2.0\",\"id\":1}\r\n{\"a\":\"\\n\"}\n"
        #expect(everySplitJSONLines(input) == [
            .line("{\"type\":\"ADDED\",\"object\":{}}"),
            .line("{\"jsonrpc\":\"2.0\",\"id\":1}"),
            .line("{\"a\":\"\\n\"}"),
        ])
    }

    @Test func emptyLinesAreSkipped() {
        #expect(everySplitJSONLines("\n\r\n{}\n\n\n[]\r\n\r\n") == [.line("{}"), .line("[]")])
    }

    @Test func onlyOneTrailingCRIsRemoved() {
        #expect(everySplitJSONLines("a\r\r\nb\rc\n") == [.line("a\r"), .line("b\rc")])
    }

    @Test func linesAreReturnedBeforeLaterDataArrives() throws {
        var decoder = JSONLineDecoder()
        decoder.append(Array("one\ntw".utf8))
        #expect(try decoder.next() == Array("one".utf8))
        #expect(try decoder.next() == nil)
        decoder.append(Array("o\n".utf8))
        #expect(try decoder.next() == Array("two".utf8))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func lengthLimitCountsContentOnly() {
        #expect(everySplitJSONLines("12345\r\n1234\n12345\n", maxLineLength: 5) ==
            [.line("12345"), .line("1234"), .line("12345")])
        #expect(everySplitJSONLines("123456\n", maxLineLength: 5) == [.error(.lineTooLong(limit: 5))])
        #expect(everySplitJSONLines("123456\r\n", maxLineLength: 5) == [.error(.lineTooLong(limit: 5))])
        #expect(JSONLineError.lineTooLong(limit: 5).description.contains("5 bytes"))
    }

    @Test func tooLongLineIsReportedOnceAndSkipped() {
        let long = String(repeating: "x", count: 100)
        let input = "{\"before\":1}\n" + long + "\n{\"after\":2}\r\n" + long + "\r\n" + long + "\n{\"last\":3}"
        #expect(everySplitJSONLines(input, maxLineLength: 16) == [
            .line("{\"before\":1}"),
            .error(.lineTooLong(limit: 16)),
            .line("{\"after\":2}"),
            .error(.lineTooLong(limit: 16)),
            .error(.lineTooLong(limit: 16)),
            .line("{\"last\":3}"),
        ])
    }

    @Test func tooLongLineIsDroppedWithoutWaitingForItsEnd() throws {
        var decoder = JSONLineDecoder(maxLineLength: 8)
        decoder.append(Array("ok\n0123456789".utf8))
        #expect(try decoder.next() == Array("ok".utf8))
        #expect(throws: JSONLineError.lineTooLong(limit: 8)) { try decoder.next() }
        #expect(decoder.bufferedByteCount == 0, "memory stays bounded by the limit")
        decoder.append(Array(String(repeating: "z", count: 1000).utf8))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 0)
        decoder.append(Array("zz\nnext\n".utf8))
        #expect(try decoder.next() == Array("next".utf8))
        #expect(try decoder.next() == nil)
    }

    @Test func finalUnterminatedLineIsReturnedAtEnd() {
        #expect(everySplitJSONLines("{\"a\":1}\n{\"b\":2}") == [.line("{\"a\":1}"), .line("{\"b\":2}")])
        #expect(everySplitJSONLines("{\"a\":1}\n{\"b\":2}", finish: false) == [.line("{\"a\":1}")])
        #expect(everySplitJSONLines("tail\r") == [.line("tail")])
        #expect(everySplitJSONLines("\r") == [])
        #expect(everySplitJSONLines("123456", maxLineLength: 5) == [.error(.lineTooLong(limit: 5))])
        #expect(everySplitJSONLines("12345\r", maxLineLength: 5) == [.line("12345")])
        #expect(everySplitJSONLines("") == [])
    }

    @Test func encoderVectors() throws {
        let encoder = JSONLineEncoder()
        #expect(try encoder.encode(Array("{\"id\":1}".utf8)) == Array("{\"id\":1}\n".utf8))
        var out = Array("a\n".utf8)
        try encoder.encode(Array("[]".utf8), into: &out)
        #expect(out == Array("a\n[]\n".utf8))
        #expect(throws: JSONLineError.embeddedNewline(offset: 3)) { try encoder.encode(Array("{\"a\n\":1}".utf8)) }
        #expect(throws: JSONLineError.embeddedNewline(offset: 2)) { try encoder.encode(Array("{}\r".utf8)) }
        #expect(throws: JSONLineError.emptyLine) { try encoder.encode([UInt8]()) }
        let limited = JSONLineEncoder(maxLineLength: 4)
        #expect(throws: JSONLineError.lineTooLong(limit: 4)) { try limited.encode(Array("12345".utf8)) }
        #expect(try limited.encode(Array("1234".utf8)) == Array("1234\n".utf8))
        #expect(throws: JSONLineError.embeddedNewline(offset: 0)) { try encoder.encode(Array("a\nb".utf8)[1...]) }
    }

    @Test func encoderOutputDecodesBack() throws {
        let records = ["{\"a\":1}", "{\"b\":\"x y\"}", "3"]
        var wire: [UInt8] = []
        for r in records { try JSONLineEncoder().encode(Array(r.utf8), into: &wire) }
        let (reference, mismatches) = decodeEverySplit(wire) { decodeJSONLines($0, maxLineLength: 64) }
        #expect(mismatches.isEmpty)
        #expect(reference == records.map { .line($0) })
    }
}
