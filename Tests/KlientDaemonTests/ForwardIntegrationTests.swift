#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Klient
import KlientIO
import KlientRPC
import KlientTestSupport
import KlientWire
import Synchronization
import Testing

/// klient-sim + klientd + klientctl, all built binaries: forwards move bytes
/// exactly, survive pod deletion, dropped streams and daemon restarts, and
/// fail readably.
@Suite("klientd forwards against klient-sim")
struct ForwardIntegrationTests {
    @Test func bulkBothWaysThroughOneConnection() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "bulk", "svc/web", "0:80"])
        try await bed.waitReady("bulk")
        let port = try #require(ForwardTestbed.localPort(info))
        let size = 256 << 20
        let verified = try await ForwardTestbed.echo(port: port, count: size, seed: 42)
        #expect(verified == size)
        let after = try #require(try await bed.info("bulk"))
        #expect(after["bytesOut"]?.intValue == Int64(size))
        #expect(after["bytesIn"]?.intValue == Int64(size))
    }

    @Test func twoHundredConcurrentConnections() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "many", "svc/web", "0:80"])
        try await bed.waitReady("many")
        let port = try #require(ForwardTestbed.localPort(info))
        let size = 1 << 20
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask { try await ForwardTestbed.echo(port: port, count: size, seed: UInt64(1000 + i)) }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0 == size })
        let after = try #require(try await bed.info("many"))
        #expect(after["totalConnections"]?.intValue == 200)
        #expect(after["lastError"] == nil || after["lastError"] == .null)
    }

    @Test func serviceForwardFollowsTheReplacementPod() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "svc", "svc/web", "0:80"])
        try await bed.waitReady("svc")
        let port = try #require(ForwardTestbed.localPort(info))
        let first = try #require(try await bed.info("svc")?["pod"]?.stringValue)

        // Connections keep coming while the pod is deleted: none may fail.
        let failures = Mutex<[String]>([])
        let successes = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let load = Task {
            var i: UInt64 = 0
            while !stop.load(ordering: .relaxed) {
                i += 1
                do {
                    _ = try await ForwardTestbed.echo(port: port, count: 64, seed: i)
                    successes.add(1, ordering: .relaxed)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        // Watch the pods ourselves (the moment the API shows the replacement
        // Ready) and poll klientd over RPC (the moment it targets it).
        let client = try KubernetesClient(configuration: KubeConfig.load(explicitPath: bed.sim.kubeconfig)
            .clientConfiguration(context: nil, warnings: .ignore))
        let readyAt = Mutex<(String, ContinuousClock.Instant)?>(nil)
        let watcher = Task {
            for try await event in client.resources(Pod.self, namespace: "default").watch(WatchOptions(labelSelector: "app=web")) {
                let pods: [Pod] = switch event {
                case .added(let pod), .modified(let pod): [pod]
                case .restarted(let list, _): list
                default: []
                }
                for pod in pods where pod.metadata.name != first && PortForwardPodChooser.isReady(pod) {
                    readyAt.withLock { $0 = $0 ?? (pod.metadata.name!, .now) }
                }
            }
        }
        defer { watcher.cancel() }
        let rpc = try await bed.daemon.client()
        defer { rpc.close() }
        let delete = try await Kubectl.run("1.33", bed.sim, ["delete", "pod", first, "--wait=false"])
        #expect(delete.status == 0, "\(delete.output)")

        var switchedAt: ContinuousClock.Instant?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, switchedAt == nil {
            let list = try await rpc.call(RPCMethod.forwardList)
            let pod = list["forwards"]?.arrayValue?.first?["pod"]?.stringValue
            if let (replacement, _) = readyAt.withLock({ $0 }), pod == replacement {
                // A new connection through the forward, now on the replacement.
                #expect(try await ForwardTestbed.echo(port: port, count: 16, seed: 99) == 16)
                switchedAt = .now
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let (newPod, ready) = try #require(readyAt.withLock { $0 })
        stop.store(true, ordering: .relaxed)
        await load.value
        let switched = try #require(switchedAt)
        let delay = switched - ready
        print("forward served a new connection from \(newPod) \(delay) after the API showed it Ready")
        #expect(delay < .seconds(2), "the forward took \(delay) to use the Ready replacement")
        #expect(failures.withLock { $0 }.isEmpty, "failed connections: \(failures.withLock { $0 })")
        #expect(successes.load(ordering: .relaxed) > 0)
        let after = try #require(try await bed.info("svc"))
        #expect(after["reconnects"]?.intValue ?? 0 >= 1)
        #expect(after["state"] == "ready")
    }

    @Test func recoversAfterTheSimDropsEveryStream() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "drop", "svc/web", "0:80"])
        try await bed.waitReady("drop")
        let port = try #require(ForwardTestbed.localPort(info))
        #expect(try await ForwardTestbed.echo(port: port, count: 4096, seed: 1) == 4096)

        // A connection open during the drop ends; new ones work again.
        let open = try await Socket.connect(to: .ipv4("127.0.0.1", port: port))
        try await open.write([1, 2, 3])
        #expect(try await open.read(maxBytes: 16) == [1, 2, 3])
        let fault = try await bed.sim.fault(["drop-streams"])
        #expect(fault.status == 0, "\(fault.output)")
        let ended = try await withTimeout(.seconds(30), "the dropped connection to end") {
            (try? await open.read(maxBytes: 16)) ?? []
        }
        #expect(ended.isEmpty)
        open.close()
        var recovered = false
        let deadline = ContinuousClock.now + .seconds(30)
        while !recovered, ContinuousClock.now < deadline {
            recovered = (try? await ForwardTestbed.echo(port: port, count: 4096, seed: 2)) == 4096
        }
        #expect(recovered)
        try await bed.waitReady("drop")
    }

    @Test func persistentForwardsComeBackOnTheSamePortsAfterRestarts() async throws {
        let bed = try await ForwardTestbed()
        let info = try await bed.add(["--name", "keep", "svc/web", "0:80"])
        _ = try await bed.add(["--name", "gone", "--no-persist", "svc/web", "0:80"])
        try await bed.waitReady("keep")
        let port = try #require(ForwardTestbed.localPort(info))
        let directory = bed.daemon.directory

        // SIGTERM, then a new klientd on the same state directory.
        #expect(try await bed.daemon.stop() == 0)
        let second = try await KlientdProcess(reusing: directory, keepDirectory: true)
        let restored = try #require(try await bed.info("keep", socket: second.socketPath))
        #expect(ForwardTestbed.localPort(restored) == port)
        #expect(try await bed.info("gone", socket: second.socketPath) == nil)
        #expect(try await ForwardTestbed.ctl(["forward", "wait", "keep"], socket: second.socketPath).status == 0)
        #expect(try await ForwardTestbed.echo(port: port, count: 65536, seed: 3) == 65536)

        // kill -9: no chance to save anything, the file written at add is enough.
        second.signal(SIGKILL)
        _ = try await second.process.finish(timeout: .seconds(30))
        let third = try await KlientdProcess(reusing: directory, keepDirectory: true)
        let again = try #require(try await bed.info("keep", socket: third.socketPath))
        #expect(ForwardTestbed.localPort(again) == port)
        #expect(try await ForwardTestbed.ctl(["forward", "wait", "keep"], socket: third.socketPath).status == 0)
        #expect(try await ForwardTestbed.echo(port: port, count: 65536, seed: 4) == 65536)

        // Removed forwards stay removed.
        #expect(try await ForwardTestbed.ctl(["forward", "rm", "keep"], socket: third.socketPath).status == 0)
        #expect(try await third.stop() == 0)
        let fourth = try await KlientdProcess(reusing: directory, keepDirectory: false)
        #expect(try await bed.info("keep", socket: fourth.socketPath) == nil)
    }

    @Test func corruptStateFileIsMovedAsideAndKlientdStarts() async throws {
        let bed = try await ForwardTestbed()
        let directory = bed.daemon.directory
        #expect(try await bed.daemon.stop() == 0)
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        try "{\"version\": 1, \"forwards\": [{\"id\": 7".write(toFile: directory + "/state/forwards.json",
                                                               atomically: true, encoding: .utf8)
        let daemon = try await KlientdProcess(reusing: directory, keepDirectory: false)
        let list = try await ForwardTestbed.ctl(["forward", "list"], socket: daemon.socketPath)
        #expect(list.status == 0)
        #expect(list.output.contains("No forwards"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/state")
        #expect(files.contains { $0.hasPrefix("forwards.json.corrupt-") }, "\(files)")
        let process = daemon.process
        let line = try await withTimeout(.seconds(20), "klientd's log line about the corrupt file") {
            while let line = try await process.readLine() {
                if line.contains("forwards file") { return line }
            }
            return ""
        }
        #expect(line.contains("is unreadable") && line.contains("moved it to"), "\(line)")
    }

    @Test func readonlyContextIsForbidden() async throws {
        let bed = try await ForwardTestbed()
        let result = try await bed.ctl(["forward", "add", "--context", "klient-sim-readonly", "svc/web", "0:80"])
        #expect(result.status == 4, "\(result.output)")
        #expect(result.output.contains("Forbidden") || result.output.contains("forbidden"), "\(result.output)")
        #expect(result.output.contains("portforward"), "\(result.output)")
        let list = try await bed.ctl(["forward", "list"])
        #expect(list.output.contains("No forwards"), "\(list.output)")
    }

    @Test func refusedTunnelFallsBackToChannelMode() async throws {
        let bed = try await ForwardTestbed(simArguments: ["--no-portforward-tunnel"])
        let info = try await bed.add(["--name", "old", "svc/web", "0:80"])
        try await bed.waitReady("old")
        let port = try #require(ForwardTestbed.localPort(info))
        #expect(try await ForwardTestbed.echo(port: port, count: 1 << 20, seed: 5) == 1 << 20)
        #expect(try await bed.info("old")?["activeMode"] == "channel")

        // Where the server offers it, auto uses the tunnel.
        let fault = try await bed.sim.fault(["portforward-tunnel", "enabled=true"])
        #expect(fault.status == 0, "\(fault.output)")
        let modern = try await bed.add(["--name", "new", "svc/web", "0:80"])
        try await bed.waitReady("new")
        #expect(try await ForwardTestbed.echo(port: try #require(ForwardTestbed.localPort(modern)), count: 4096, seed: 6) == 4096)
        #expect(try await bed.info("new")?["activeMode"] == "tunnel")
    }

    @Test func unknownTargetsAndPortsAreReadableErrors() async throws {
        let bed = try await ForwardTestbed()
        let missing = try await bed.ctl(["forward", "add", "svc/nope", "0:80"])
        #expect(missing.status == 1, "\(missing.output)")
        #expect(missing.output.contains("nope"), "\(missing.output)")
        let badPort = try await bed.ctl(["forward", "add", "svc/web", "0:81"])
        #expect(badPort.status == 1, "\(badPort.output)")
        #expect(badPort.output.contains("81"), "\(badPort.output)")
        let list = try await bed.ctl(["forward", "list"])
        #expect(list.output.contains("No forwards"), "\(list.output)")
    }

}
