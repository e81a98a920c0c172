import Foundation
import KlientWire
import Testing
@testable import KlientSim

private let pods = ResourceRegistry.pods

@Suite(.serialized) struct LogsTests {
    @Test func optionsParsing() throws {
        let o = try PodLogOptions(query: "container=a%2Db&follow=true&tailLines=3&timestamps=1&limitBytes=10&sinceTime=2025-01-02T03%3A04%3A05Z")
        #expect(o.container == "a-b")
        #expect(o.follow && o.timestamps)
        #expect(o.tailLines == 3)
        #expect(o.limitBytes == 10)
        #expect(o.sinceTime?.rfc3339 == "2025-01-02T03:04:05Z")
        #expect(throws: PodLogOptionsError.sinceConflict) { try PodLogOptions(query: "sinceSeconds=3&sinceTime=2025-01-02T03:04:05Z") }
        #expect(throws: PodLogOptionsError.self) { try PodLogOptions(query: "tailLines=x") }
        #expect(throws: PodLogOptionsError.self) { try PodLogOptions(query: "sinceSeconds=0") }
        #expect(LogTimestamp(parsing: "2025-01-02T03:04:05.5+01:00")?.rfc3339Nano == "2025-01-02T02:04:05.500000000Z")
        #expect(LogTimestamp(parsing: "2025-01-02 03:04:05Z") == nil)
        let t = LogTimestamp(nanoseconds: 1_700_000_000_123_456_789)
        #expect(LogTimestamp(parsing: t.rfc3339Nano) == t)
    }

    @Test func tailSinceTimestampsLimitAndErrors() async throws {
        let h = try RuntimeHarness()
        try h.store.create(pods, namespace: "default", object: podManifest(
            "lines", command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; printf partial"], restartPolicy: "Never"))
        let all = try await h.waitFor("all lines") { () async throws -> String? in
            let body = try await h.log("lines").1
            return body.hasSuffix("partial") ? body : nil
        }
        #expect(all == "line1\nline2\nline3\nline4\nline5\npartial")
        #expect(try await h.log("lines", "tailLines=2").1 == "line5\npartial")
        #expect(try await h.log("lines", "tailLines=0").1 == "")
        #expect(try await h.log("lines", "limitBytes=8").1 == "line1\nli")
        let stamped = try await h.log("lines", "timestamps=true&tailLines=1").1
        let parts = stamped.split(separator: " ", maxSplits: 1)
        #expect(parts.count == 2)
        #expect(LogTimestamp(parsing: String(parts[0])) != nil)
        #expect(parts[0].count == 30)
        #expect(parts[1] == "partial")
        #expect(try await h.log("lines", "sinceSeconds=60").1.hasPrefix("line1\n"))
        #expect(try await h.log("lines", "sinceTime=2999-01-01T00:00:00Z").1 == "")
        let (code, body) = try await h.log("lines", "previous=true")
        #expect(code == 400)
        let status = try JSONValue.parse(body)
        #expect(status["kind"] == "Status")
        #expect(status["reason"] == "BadRequest")
        #expect(status["message"] == "previous terminated container \"main\" in pod \"lines\" not found")
        #expect(try await h.log("lines", "container=nope").0 == 400)
        #expect(try await h.log("lines", "tailLines=-1").0 == 400)

        try h.store.create(pods, namespace: "default", object: podManifest("two", containers: ["a", "b"]))
        _ = try await h.waitFor("two running") { h.pod("two")?[path: ["status", "phase"]] == "Running" ? true : nil }
        let (twoCode, twoBody) = try await h.log("two")
        #expect(twoCode == 400)
        #expect(try JSONValue.parse(twoBody)["message"] == "a container name must be specified for pod two, choose one of: [a b]")
        #expect(try await h.log("two", "container=b").0 == 200)
        await h.shutdown()
    }

    @Test func followReceivesLinesAsWritten() async throws {
        let h = try RuntimeHarness()
        var manifest = podManifest("follow", command: ["sh", "-c", "echo first; while read l; do echo got-$l; done; echo bye"])
        manifest[path: ["spec", "containers"]] = [["name": "main", "image": "busybox", "stdin": true,
                                                   "command": ["sh", "-c", "echo first; while read l; do echo got-$l; done; echo bye"]]]
        manifest[path: ["spec", "restartPolicy"]] = "Never"
        try h.store.create(pods, namespace: "default", object: manifest)
        let attachment = try await h.waitFor("attachment") { h.runtime.attachment(namespace: "default", pod: "follow", container: "main") }
        let response = try await h.followLog("follow", "follow=true")
        #expect(response.status == 200)
        #expect(response.head.headers["Content-Type"] == "text/plain")
        var received = ""
        var iterator = response.body.makeAsyncIterator()
        func readUntil(_ text: String) async throws {
            while !received.contains(text) {
                guard let chunk = try await iterator.next() else { throw RuntimeHarness.Timeout(description: "log ended: \(received)") }
                received += String(decoding: chunk, as: UTF8.self)
            }
        }
        try await readUntil("first\n")
        try await attachment.writeStdin(Array("one\n".utf8))
        try await readUntil("got-one\n")
        try await attachment.writeStdin(Array("two\n".utf8))
        try await readUntil("got-two\n")
        attachment.closeStdin()
        // The stream ends when the process exits.
        while let chunk = try await iterator.next() { received += String(decoding: chunk, as: UTF8.self) }
        #expect(received == "first\ngot-one\ngot-two\nbye\n")
        await h.shutdown()
    }
}
