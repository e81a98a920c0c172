import Foundation
import KlientTestSupport
import Testing

/// `make demo`'s script, run once through (KLIENT_DEMO_ONCE=1) as a new
/// user would: the pod's page through the forward, then the replacement's.
@Suite("make demo")
struct DemoScriptTests {
    @Test func theDemoForwardsServesAndFollowsTheReplacementPod() async throws {
        let root = TestPython.repositoryRoot
        let process = try TestProcess("/bin/bash", [root + "/scripts/demo.sh"],
                                      environment: ["KLIENT_DEMO_ONCE": "1", "BIN": root + "/.build/debug"])
        let status = try await process.finish(timeout: .seconds(180))
        let output = process.transcript
        #expect(status == 0, "\(output)")
        let pods = output.split(separator: "\n").filter { $0.hasPrefix("hello from pod ") }
            .map { $0.dropFirst("hello from pod ".count) }
        #expect(pods.count == 2, "\(output)")
        #expect(Set(pods).count == 2, "the second answer comes from the replacement pod: \(pods)")
        #expect(output.contains("Forwarding svc/hello"), "\(output)")
        #expect(output.contains("is ready: pod"), "\(output)")
        #expect(output.contains("Press Ctrl-C"), "\(output)")
        #expect(output.contains("demo: stopped klientd and klient-sim"), "\(output)")
    }
}
