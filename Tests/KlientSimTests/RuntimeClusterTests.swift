import Foundation
import KlientTestSupport
import KlientWire
import Testing
@testable import KlientSim

/// The runtime and controllers installed into a real in-process klient-sim
/// (HTTPS API, auth, faults), driven over REST and by kubectl.
@Suite(.serialized) struct RuntimeClusterTests {
    private static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: busybox
                command: ["sh", "-c", "echo started; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"]
                ports: [{name: http, containerPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
        """

    @Test func restLogsAndRestartFault() async throws {
        let workloads = SimWorkloads()
        let t = try APITestCluster { workloads.install(into: &$0) }
        defer { Task { await workloads.shutdown(grace: .milliseconds(200)) } }
        let runtime = try #require(workloads.runtime)
        #expect(try await t.request(.POST, "/api/v1/namespaces/default/pods", json: podManifest(
            "echo", command: ["sh", "-c", "echo one; echo two; sleep 30"])).status == 201)
        var body = ""
        for _ in 0..<500 where !body.contains("two") {
            let reply = try await t.request(.GET, "/api/v1/namespaces/default/pods/echo/log")
            body = String(decoding: reply.body, as: UTF8.self)
            if !body.contains("two") { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(body == "one\ntwo\n")
        let tail = try await t.request(.GET, "/api/v1/namespaces/default/pods/echo/log?tailLines=1")
        #expect(String(decoding: tail.body, as: UTF8.self) == "two\n")
        let previous = try await t.request(.GET, "/api/v1/namespaces/default/pods/echo/log?previous=true")
        #expect(previous.status == 400)
        #expect(previous.json["reason"] == "BadRequest")
        let pod = try await t.request(.GET, "/api/v1/namespaces/default/pods/echo")
        #expect(pod.json[path: ["status", "phase"]] == "Running")
        #expect(pod.json[path: ["spec", "nodeName"]] == "klient-sim-node")

        // The restart-pod fault restarts a plain pod's containers.
        #expect(try await t.request(.POST, "/klient-sim/faults/restart-pod?namespace=default&name=echo").status == 200)
        var restarts: Int64 = 0
        for _ in 0..<500 where restarts < 1 {
            let s = try await t.request(.GET, "/api/v1/namespaces/default/pods/echo")
            restarts = s.json[path: ["status", "containerStatuses"]]?.arrayValue?.first?["restartCount"]?.intValue ?? 0
            if restarts < 1 { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(restarts == 1)
        #expect(try await t.request(.POST, "/klient-sim/faults/restart-pod?namespace=default&name=nope").status == 404)
        await workloads.shutdown(grace: .milliseconds(200))
        #expect(runtime.runningPods.isEmpty)
    }

    @Test(arguments: ["1.27", "1.33"])
    func kubectlWorkflow(version: String) async throws {
        guard let kubectl = Kubectl.binary(version) else { return }
        let workloads = SimWorkloads()
        let t = try APITestCluster { workloads.install(into: &$0) }
        let kubeconfig = t.directory + "/kubeconfig"
        try KubeconfigWriter.write(cluster: t.cluster, executable: "/bin/false", to: kubeconfig)
        let manifestPath = t.directory + "/web.yaml"
        try Self.manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        func run(_ args: [String]) async throws -> (Int32, String) {
            let p = try TestProcess(kubectl, args + ["--request-timeout=20s"],
                                    environment: ["KUBECONFIG": kubeconfig, "HOME": t.directory])
            let status = try await p.finish(timeout: .seconds(90))
            return (status, p.transcript)
        }
        let applied = try await run(["apply", "-f", manifestPath])
        #expect(applied.0 == 0, "\(applied.1)")
        let rollout = try await run(["rollout", "status", "deployment/web", "--timeout=60s"])
        #expect(rollout.0 == 0, "\(rollout.1)")
        #expect(rollout.1.contains("successfully rolled out"))
        let names = try await run(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"])
        let pods = names.1.split(separator: " ").map(String.init)
        #expect(pods.count == 2)
        let first = try #require(pods.first)
        // logs with --tail, and -f seeing new lines (ended by kubectl's own timeout).
        let logs = try await run(["logs", first, "--tail=1"])
        #expect(logs.0 == 0)
        #expect(logs.1.hasPrefix("tick ") || logs.1 == "started", "\(logs.1)")
        let follow = try Kubectl.startRaw(kubectl, kubeconfig: kubeconfig, home: t.directory, ["logs", "-f", first])
        _ = try await follow.waitForLine(startingWith: "started")
        let tick = try await follow.waitForLine(startingWith: "tick ")
        let later = try await follow.waitForLine(startingWith: "tick ")
        #expect(tick != later)
        follow.terminate()
        // A deleted pod is replaced by a pod with a new name; endpoints follow.
        #expect(try await run(["delete", "pod", first, "--wait=false"]).0 == 0)
        var replaced = false
        for _ in 0..<300 where !replaced {
            let now = try await run(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}"])
            let current = now.1.split(separator: " ").map(String.init)
            replaced = current.count == 2 && !current.contains(first)
            if !replaced { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(replaced)
        let endpoints = try await run(["get", "endpoints", "web", "-o", "jsonpath={.subsets[0].ports[0].port}"])
        #expect(endpoints.1 == "8080")
        await workloads.shutdown(grace: .milliseconds(200))
    }
}

extension Kubectl {
    /// Starts a kubectl binary against a kubeconfig (no request timeout: for `-f`/`-w`).
    static func startRaw(_ kubectl: String, kubeconfig: String, home: String, _ args: [String]) throws -> TestProcess {
        try TestProcess(kubectl, args, environment: ["KUBECONFIG": kubeconfig, "HOME": home])
    }
}
