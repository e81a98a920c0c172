import KlientWire
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test func roundTripKeepsIntegersAndSortsKeys() throws {
        let text = #"{"spec":{"replicas":3,"ratio":0.5,"tags":["a","b"],"on":true,"none":null},"kind":"Deployment"}"#
        let value = try JSONValue.parse(text)
        #expect(value[path: ["spec", "replicas"]] == .int(3))
        #expect(value[path: ["spec", "ratio"]] == .double(0.5))
        #expect(value.jsonString == #"{"kind":"Deployment","spec":{"none":null,"on":true,"ratio":0.5,"replicas":3,"tags":["a","b"]}}"#)
    }

    @Test func escapesAndUnicode() throws {
        let value = try JSONValue.parse(#"["line\nbreak \"q\" \u00e9 \ud83d\ude00 \/"]"#)
        #expect(value == .array([.string("line\nbreak \"q\" é 😀 /")]))
        #expect(JSONValue.string("a\u{1}b\"").jsonString == #""a\u0001b\"""#)
    }

    @Test func pathAssignmentCreatesObjects() {
        var value: JSONValue = ["metadata": ["name": "x"]]
        value[path: ["metadata", "labels", "app"]] = "web"
        #expect(value[path: ["metadata", "labels", "app"]]?.stringValue == "web")
        #expect(value[path: ["metadata", "name"]]?.stringValue == "x")
    }

    @Test(arguments: [
        ("{", "expected a string key"), ("[1,]", "expected a value"), ("{\"a\" 1}", "expected ':'"),
        ("01", "unexpected text after the value"), ("\"\\x\"", "invalid escape"), ("\"\\ud800\"", "unpaired surrogate"),
        ("tru", "unexpected end of input"), ("1 2", "unexpected text after the value"), ("-", "expected a digit"),
    ])
    func errorsSayWhatAndWhere(input: String, reason: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(input) }
        do { _ = try JSONValue.parse(input) } catch { #expect(error.reason.hasPrefix(reason), "\(error)") }
    }

    @Test func depthLimit() {
        let deep = String(repeating: "[", count: JSONValue.maxDepth + 1) + String(repeating: "]", count: JSONValue.maxDepth + 1)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect((try? JSONValue.parse(ok)) != nil)
    }
}
