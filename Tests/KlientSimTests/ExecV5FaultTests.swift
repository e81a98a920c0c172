import Foundation
import KlientSim
import KlientTestSupport
import Testing

/// The sim speaking exec/attach WebSocket protocols only up to v4, as an API
/// server before 1.30 does (`StreamFaults.execV5Enabled`, the `exec-v5`
/// fault, `serve --no-exec-v5`). The library's behaviour on such a server is
/// checked in KlientTests (`ExecTests`).
@Suite struct ExecV5FaultTests {
    @Test func faultOverHTTP() async throws {
        let t = try APITestCluster()
        #expect(t.cluster.faults.execV5Enabled, "v5 is offered by default")
        #expect(try await t.request(.GET, "/klient-sim/faults").json["execV5"] == true)
        let off = try await t.request(.POST, "/klient-sim/faults/exec-v5?enabled=false")
        #expect(off.status == 200)
        #expect(off.json == ["fault": "exec-v5", "enabled": false])
        #expect(!t.cluster.faults.execV5Enabled)
        #expect(try await t.request(.GET, "/klient-sim/faults").json["execV5"] == false)
        #expect(try await t.request(.POST, "/klient-sim/faults/exec-v5").status == 400)
        #expect(try await t.request(.POST, "/klient-sim/faults/exec-v5?enabled=no").status == 400)
        #expect(try await t.request(.POST, "/klient-sim/faults/exec-v5?enabled=true", token: t.readonlyToken).status == 403)
        #expect(try await t.request(.POST, "/klient-sim/faults/exec-v5?enabled=true").json["enabled"] == true)
        #expect(t.cluster.faults.execV5Enabled)
    }

    /// `klient-sim serve --no-exec-v5`, then `klient-sim fault exec-v5 enabled=true`.
    @Test func serveFlagAndFaultCommand() async throws {
        let sim = try await SimServeProcess(extraArguments: ["--no-exec-v5"])
        let (listed, before) = try await sim.fault(["list"])
        #expect(listed == 0)
        #expect(before.contains("\"execV5\":false"), "\(before)")
        let (set, answer) = try await sim.fault(["exec-v5", "enabled=true"])
        #expect(set == 0)
        #expect(answer.contains("\"enabled\":true"), "\(answer)")
        #expect(try await sim.fault(["list"]).1.contains("\"execV5\":true"))
        #expect(try await sim.fault(["exec-v5", "enabled=maybe"]).0 == 1)
        #expect(try await sim.stop() == 0)
    }
}
