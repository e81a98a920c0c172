import Foundation
import KlientIO
import KlientTestSupport
import KlientWire
import Testing

/// Issue 3's acceptance: unmodified kubectl (1.27 and 1.33) and the official
/// Python client against a fresh `klient-sim serve`, the built binary.
@Suite("Conformance with unmodified clients", .serialized)
struct ConformanceTests {
    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {"klient-sim/port.8080": "127.0.0.1:ECHO_PORT"}
            spec:
              containers:
              - name: main
                image: busybox
                command: [sh, -c, 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done']
                ports: [{name: http, containerPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
        """

    static let attachManifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: att}
        spec:
          containers:
          - name: main
            image: busybox
            stdin: true
            command: [sh, -c, 'while read line; do echo "echo: $line"; done']
        """

    @Test(arguments: ["1.27", "1.33"])
    func kubectlWorkflow(version: String) async throws {
        try #require(Kubectl.binary(version) != nil, "kubectl.\(version) is not installed")
        let sim = try await SimServeProcess()
        let echo = try EchoServer()
        defer { echo.close() }

        let ns = try await Kubectl.run(version, sim, ["get", "ns"])
        #expect(ns.status == 0 && ns.output.contains("default"), "\(ns.output)")

        let path = sim.directory + "/app.yaml"
        try Self.manifest.replacingOccurrences(of: "ECHO_PORT", with: String(echo.port))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let apply = try await Kubectl.run(version, sim, ["apply", "-f", path])
        #expect(apply.status == 0 && apply.output.contains("deployment.apps/web created"), "\(apply.output)")
        let rollout = try await Kubectl.run(version, sim, ["rollout", "status", "deploy/web", "--timeout=60s"])
        #expect(rollout.status == 0, "\(rollout.output)")
        let again = try await Kubectl.run(version, sim, ["apply", "-f", path])
        #expect(again.status == 0 && again.output.contains("unchanged"), "\(again.output)")

        let original = try await podNames(version, sim)
        #expect(original.count == 2, "\(original)")
        let pod = try #require(original.first)

        // `get pods -w` sees the replacement of a deleted pod.
        let watch = try Kubectl.start(version, sim, ["get", "pods", "-l", "app=web", "-w", "-o", "name"], requestTimeout: "0")
        defer { watch.terminate() }
        for _ in original { _ = try await watch.waitForLine(startingWith: "pod/") }
        let deleted = try await Kubectl.run(version, sim, ["delete", "pod", pod, "--wait=false"])
        #expect(deleted.status == 0, "\(deleted.output)")
        var replacement: String?
        while replacement == nil {
            let line = try await watch.waitForLine(startingWith: "pod/", timeout: .seconds(60))
            let name = String(line.dropFirst(4))
            if !original.contains(name) { replacement = name }
        }
        watch.terminate()
        let current = try await podNames(version, sim)
        #expect(current.count == 2 && current.contains(replacement!) && !current.contains(pod), "\(current)")
        let target = original[1]

        // logs -f follows new output.
        let logs = try Kubectl.start(version, sim, ["logs", "-f", target], requestTimeout: "0")
        let first = try await logs.waitForLine(startingWith: "tick ")
        let later = try await logs.waitForLine(startingWith: "tick ")
        logs.terminate()
        #expect(first != later)

        // exec: stdin, exit codes, a terminal, and the readonly user's refusal.
        let cat = try await Kubectl.run(version, sim, ["exec", "-i", target, "--", "cat"], stdin: Array("hello from stdin\n".utf8))
        #expect(cat.status == 0 && cat.output.contains("hello from stdin"), "\(cat.output)")
        let exit3 = try await Kubectl.run(version, sim, ["exec", target, "--", "sh", "-c", "exit 3"])
        #expect(exit3.status == 3, "\(exit3.output)")
        let tty = try await Kubectl.runInTerminal(version, sim, ["exec", "-it", target, "--", "sh", "-c", "tty; exit 4"])
        #expect(tty.status == 4 && tty.output.contains("/dev/pts/"), "\(tty.output)")
        let refused = try await Kubectl.run(version, sim, ["--context", "klient-sim-readonly", "exec", target, "--", "true"])
        #expect(refused.status != 0 && refused.output.contains("Forbidden"), "\(refused.output)")

        // attach reaches a running container's stdin and output.
        let attachPod = sim.directory + "/attach.yaml"
        try Self.attachManifest.write(toFile: attachPod, atomically: true, encoding: .utf8)
        #expect(try await Kubectl.run(version, sim, ["apply", "-f", attachPod]).status == 0)
        #expect(try await Kubectl.run(version, sim, ["wait", "--for=condition=Ready", "pod/att", "--timeout=60s"]).status == 0)
        let attach = try TestProcess(try #require(Kubectl.binary(version)), ["attach", "-i", "att"],
                                     environment: ["KUBECONFIG": sim.kubeconfig, "HOME": sim.home],
                                     stdin: Array("ping-attach\n".utf8))
        _ = try await attach.waitForLine(startingWith: "echo: ping-attach")
        attach.terminate()

        // port-forward to a pod and to a service: 64 MiB each way, byte-exact.
        for resource in ["pod/\(target)", "svc/web"] {
            let remote = resource.hasPrefix("svc/") ? "80" : "8080"
            let forward = try Kubectl.start(version, sim, ["port-forward", resource, "0:\(remote)"], requestTimeout: "0")
            defer { forward.terminate() }
            let line = try await forward.waitForLine(startingWith: "Forwarding from 127.0.0.1:")
            let local = try #require(UInt16(line.dropFirst("Forwarding from 127.0.0.1:".count).prefix { $0.isNumber }))
            let moved = try await echoRoundTrip(port: local, bytes: 64 << 20)
            #expect(moved == 64 << 20, "\(resource): \(moved) bytes came back intact")
            forward.terminate()
        }

        #expect(try await sim.stop() == 0)
    }

    /// The faults driven from the shell (`klient-sim fault …`), observed
    /// through kubectl.
    @Test func faultsFromTheShell() async throws {
        let version = "1.33"
        try #require(Kubectl.binary(version) != nil, "kubectl.\(version) is not installed")
        let sim = try await SimServeProcess()
        let path = sim.directory + "/app.yaml"
        try Self.manifest.replacingOccurrences(of: "ECHO_PORT", with: "9").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await Kubectl.run(version, sim, ["apply", "-f", path]).status == 0)
        #expect(try await Kubectl.run(version, sim, ["rollout", "status", "deploy/web", "--timeout=60s"]).status == 0)
        let before = try await podNames(version, sim)
        let pod = try #require(before.first)

        // restart-pod: a Deployment's pod is replaced by one with a new name.
        #expect(try await sim.fault(["restart-pod", "namespace=default", "name=\(pod)"]).status == 0)
        var after = before
        for _ in 0..<300 where after.contains(pod) || after.count != 2 {
            try await Task.sleep(for: .milliseconds(50))
            after = try await podNames(version, sim)
        }
        #expect(!after.contains(pod) && after.count == 2, "\(before) → \(after)")

        // drop-streams: a following `kubectl logs -f` is cut off.
        let target = try #require(after.first)
        let logs = try Kubectl.start(version, sim, ["logs", "-f", target], requestTimeout: "0")
        _ = try await logs.waitForLine(startingWith: "tick ")
        #expect(try await sim.fault(["drop-streams"]).status == 0)
        _ = try await logs.finish(timeout: .seconds(30)) // ends instead of following forever

        // fail-requests: the next request gets 503 with Retry-After; kubectl retries and succeeds.
        #expect(try await sim.fault(["fail-requests", "count=1", "code=503", "retryAfter=1"]).status == 0)
        let retried = try await Kubectl.run(version, sim, ["get", "ns", "default", "-v=6"])
        #expect(retried.status == 0 && retried.output.contains("503"), "\(retried.output)")

        // expire-tokens: an issued exec-plugin token stops working; the plugin mints a new one.
        let credential = try TestProcess(SimServeProcess.binary, ["credential", "--state-dir", sim.directory + "/state"])
        #expect(try await credential.finish() == 0)
        let token = try #require(try JSONValue.parse(credential.transcript)[path: ["status", "token"]]?.stringValue)
        let withToken = ["--context", "klient-sim", "--token", token, "get", "ns", "default"]
        #expect(try await Kubectl.run(version, sim, withToken).status == 0)
        #expect(try await sim.fault(["expire-tokens"]).status == 0)
        let expired = try await Kubectl.run(version, sim, withToken)
        #expect(expired.status != 0 && expired.output.contains("Unauthorized"), "\(expired.output)")
        #expect(try await Kubectl.run(version, sim, ["--context", "klient-sim-exec", "get", "ns", "default"]).status == 0)

        // refuse-connections: kubectl cannot connect while it lasts.
        #expect(try await sim.fault(["refuse-connections", "seconds=3"]).status == 0)
        try await Task.sleep(for: .milliseconds(500))
        let refused = try await Kubectl.run(version, sim, ["get", "ns", "default", "--request-timeout=2s"])
        #expect(refused.status != 0 && refused.output.contains("refused"), "\(refused.output)")
        #expect(try await sim.stop() == 0)
    }

    @Test(.enabled(if: TestPython.isAvailable, "no Python venv: run make test"))
    func officialPythonClient() async throws {
        let sim = try await SimServeProcess()
        let script = try TestPython.run("k8s_python_client.py", [sim.kubeconfig])
        let status = try await script.finish(timeout: .seconds(180))
        #expect(status == 0, "\(script.transcript)")
        let steps = script.transcript.split(separator: "\n").filter { $0.hasPrefix("OK ") }.map { String($0.dropFirst(3)) }
        #expect(steps == ["list-namespaces", "create-pod", "watch-running", "list-pods", "exec", "portforward", "delete-pod"],
                "\(script.transcript)")
        #expect(try await sim.stop() == 0)
    }

    /// Sends `bytes` of a pattern through 127.0.0.1:`port` to an echo server
    /// and reads them back concurrently; returns how many came back equal.
    private func echoRoundTrip(port: UInt16, bytes total: Int) async throws -> Int {
        let socket = try await Socket.connect(to: SocketAddress(parsing: "127.0.0.1:\(port)"))
        defer { socket.close() }
        let chunk = (0..<(1 << 16)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let writer = Task {
            var sent = 0
            while sent < total {
                try await socket.write(chunk)
                sent += chunk.count
            }
        }
        var received = 0
        var offset = 0 // position within the repeating chunk
        while received < total {
            let bytes = try await withTimeout(.seconds(60), "reading the port-forward echo") {
                try await socket.read(maxBytes: 1 << 18)
            }
            if bytes.isEmpty { break }
            for byte in bytes {
                guard byte == chunk[offset] else { return received }
                offset = (offset + 1) & 0xFFFF
                received += 1
            }
        }
        try await writer.value
        return received
    }

    private func podNames(_ version: String, _ sim: SimServeProcess) async throws -> [String] {
        let result = try await Kubectl.run(version, sim, ["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"])
        return result.output.split(separator: " ").map(String.init).filter { !$0.isEmpty }.sorted()
    }
}

/// A TCP echo server on 127.0.0.1 (port-forward targets).
final class EchoServer: Sendable {
    let listener: Listener
    var port: UInt16 { listener.localAddress.port! }

    init() throws {
        listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        let listener = self.listener
        Task {
            while let socket = try? await listener.accept() {
                Task {
                    defer { socket.close() }
                    while let bytes = try? await socket.read(maxBytes: 256 * 1024), !bytes.isEmpty {
                        guard (try? await socket.write(bytes)) != nil else { return }
                    }
                    try? await socket.shutdownWrite()
                }
            }
        }
    }

    func close() { listener.close() }
}

extension Kubectl {
    /// Runs to completion with `stdin` as the command's standard input.
    static func run(_ version: String, _ sim: SimServeProcess, _ args: [String], stdin: [UInt8]) async throws
        -> (status: Int32, output: String) {
        guard let kubectl = binary(version) else { throw SimTestFailure(description: "kubectl.\(version) not found") }
        let p = try TestProcess(kubectl, ["--request-timeout=20s"] + args,
                                environment: ["KUBECONFIG": sim.kubeconfig, "HOME": sim.home], stdin: stdin)
        let status = try await p.finish(timeout: .seconds(90))
        return (status, p.transcript)
    }

    /// Runs inside a pseudo-terminal (util-linux `script`), as a user at a terminal would.
    static func runInTerminal(_ version: String, _ sim: SimServeProcess, _ args: [String]) async throws
        -> (status: Int32, output: String) {
        guard let kubectl = binary(version) else { throw SimTestFailure(description: "kubectl.\(version) not found") }
        let command = ([kubectl] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let p = try TestProcess("/usr/bin/script", ["-qec", command, "/dev/null"],
                                environment: ["KUBECONFIG": sim.kubeconfig, "HOME": sim.home])
        let status = try await p.finish(timeout: .seconds(90))
        return (status, p.transcript)
    }
}
