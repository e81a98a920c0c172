#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientRPC
import KlientTestSupport
import KlientWire
import Testing

/// Forward targets other than Services, explicit modes and addresses, an
/// API server that goes away, and the events a forward publishes.
@Suite("klientd forwards: targets, modes, outages, events")
struct ForwardTargetsAndModesTests {
    @Test func deploymentAndPodTargetsInChannelModeWithoutAPool() async throws {
        let bed = try await ForwardTestbed()
        let deploy = try await bed.add(["--name", "d", "--mode", "channel", "--pool", "0", "deploy/web", "0:http"])
        try await bed.waitReady("d")
        let deployPort = try #require(ForwardTestbed.localPort(deploy))
        #expect(try await ForwardTestbed.echo(port: deployPort, count: 100_000, seed: 1) == 100_000)
        let info = try #require(try await bed.info("d"))
        #expect(info["activeMode"] == "channel")
        #expect(info["listeners"]?.arrayValue?.first?["podPort"] == 8080)
        let pod = try #require(info["pod"]?.stringValue)

        let direct = try await bed.add(["--name", "p", "--address", "127.0.0.1", "pod/\(pod)", "0:8080"])
        try await bed.waitReady("p")
        #expect(direct["listeners"]?.arrayValue?.count == 1)
        #expect(direct["listeners"]?.arrayValue?.first?["address"] == "127.0.0.1")
        #expect(try await ForwardTestbed.echo(port: try #require(ForwardTestbed.localPort(direct)), count: 4096, seed: 2) == 4096)

        // The same local port again is a Conflict naming it; a missing pod is NotFound.
        let taken = try await bed.ctl(["forward", "add", "--address", "127.0.0.1", "pod/\(pod)", "\(deployPort):8080"])
        #expect(taken.status == 1, "\(taken.output)")
        #expect(taken.output.contains("in use") && taken.output.contains("\(deployPort)"), "\(taken.output)")
        let missing = try await bed.ctl(["forward", "add", "pod/nope", "0:8080"])
        #expect(missing.status == 1, "\(missing.output)")
        #expect(missing.output.contains("NotFound") || missing.output.contains("not found"), "\(missing.output)")

        let removed = try await bed.ctl(["forward", "rm", "--all"])
        #expect(removed.status == 0, "\(removed.output)")
        #expect(try await bed.ctl(["forward", "list"]).output.contains("No forwards"))
    }

    /// Channel mode cannot pass a client's EOF on; once the pod has gone
    /// quiet the connection ends instead of waiting for the pod forever.
    @Test func channelModeEndsAConnectionTheClientFinishedOnceThePodIsQuiet() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "ch", "--mode", "channel", "svc/web", "0:80"])
        try await bed.waitReady("ch")
        let port = try #require(ForwardTestbed.localPort(info))
        #expect(try await ForwardTestbed.echo(port: port, count: 10_000, seed: 8) == 10_000) // writes, half-closes, reads
        var active: Int64 = -1
        let deadline = ContinuousClock.now + .seconds(30)
        while active != 0, ContinuousClock.now < deadline {
            active = try await bed.info("ch")?["activeConnections"]?.intValue ?? -1
            if active != 0 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(active == 0, "the connection is still open in klientd")
        #expect(try await bed.info("ch")?["totalConnections"] == 1)
    }

    @Test func recoversWhenTheAPIServerRefusesConnectionsForAWhile() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "blip", "svc/web", "0:80"])
        try await bed.waitReady("blip")
        let port = try #require(ForwardTestbed.localPort(info))
        let fault = try await bed.sim.fault(["refuse-connections", "seconds=3"])
        #expect(fault.status == 0, "\(fault.output)")
        // Connections made during the outage wait for it to end rather than fail.
        let during = try await ForwardTestbed.echo(port: port, count: 4096, seed: 3)
        #expect(during == 4096)
        try await bed.waitReady("blip")
        #expect(try await ForwardTestbed.echo(port: port, count: 4096, seed: 4) == 4096)
    }

    @Test func stateChangesArePublishedAsEvents() async throws {
        let bed = try await ForwardTestbed()
        let rpc = try await bed.daemon.client()
        defer { rpc.close() }
        _ = try await rpc.call(RPCMethod.eventsSubscribe, params: EventsSubscribeParams(kinds: nil).json)
        let info = try await bed.add(["--name", "ev", "svc/web", "0:80"])
        let id = try #require(info["id"]?.stringValue)
        let seen = try await withTimeout(.seconds(30), "session.started and session.updated → ready") {
            var seen: [String] = []
            for await notification in rpc.notifications {
                guard let event = notification.params, event["session"]?["id"]?.stringValue == id,
                      let type = event["type"]?.stringValue else { continue }
                seen.append(type + (event["message"]?.stringValue.map { " " + $0 } ?? ""))
                if type == "session.updated", event["session"]?["state"] == "ready" { break }
            }
            return seen
        }
        #expect(seen.first == "session.started", "\(seen)")
        #expect(seen.contains { $0.hasPrefix("session.updated") && $0.contains("-> ready") }, "\(seen)")
        _ = try await bed.ctl(["forward", "rm", "ev"])
    }
}

/// New sessions get fresh credentials: an exec-plugin context keeps working
/// after every issued token is revoked and every stream dropped.
@Suite("klientd forwards: credentials and session.stop")
struct ForwardCredentialsTests {
    @Test func execPluginTokensAreRefreshedForNewSessions() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "exec", "--context", "klient-sim-exec", "svc/web", "0:80"])
        try await bed.waitReady("exec")
        let port = try #require(ForwardTestbed.localPort(info))
        #expect(try await ForwardTestbed.echo(port: port, count: 4096, seed: 1) == 4096)
        for fault in [["expire-tokens"], ["drop-streams"]] {
            let result = try await bed.sim.fault(fault)
            #expect(result.status == 0, "\(result.output)")
        }
        var served = false
        let deadline = ContinuousClock.now + .seconds(30)
        while !served, ContinuousClock.now < deadline {
            served = (try? await ForwardTestbed.echo(port: port, count: 4096, seed: 2)) == 4096
        }
        #expect(served)
        try await bed.waitReady("exec")
    }

    @Test func sessionStopRemovesAForward() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "s", "svc/web", "0:80"])
        let id = try #require(info["id"]?.stringValue)
        let sessions = try await bed.ctl(["session", "list"])
        #expect(sessions.output.contains(id) && sessions.output.contains("forward"), "\(sessions.output)")
        let stop = try await bed.ctl(["session", "stop", id])
        #expect(stop.status == 0, "\(stop.output)")
        #expect(try await bed.info(id) == nil)
        let port = try #require(ForwardTestbed.localPort(info))
        await #expect(throws: (any Error).self) { _ = try await Socket.connect(to: .ipv4("127.0.0.1", port: port)) }
    }
}
