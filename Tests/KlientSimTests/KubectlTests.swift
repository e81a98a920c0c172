import Foundation
import Testing
import KlientTestSupport
import KlientWire

private let manifest = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
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
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - name: MODE
          value: "one"
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
"""

/// Black-box: the built `klient-sim serve` driven by unmodified kubectl.
@Suite(.serialized) struct KubectlTests {
    @Test(arguments: ["1.27", "1.33"])
    func kubectlWorkflow(version: String) async throws {
        guard Kubectl.binary(version) != nil else {
            Issue.record("kubectl.\(version) is not installed beside kubectl")
            return
        }
        let sim = try await SimServeProcess()
        let file = sim.directory + "/app.yaml"
        try manifest.write(toFile: file, atomically: true, encoding: .utf8)

        let ns = try await Kubectl.run(version, sim, ["get", "ns"])
        #expect(ns.status == 0, "\(ns.output)")
        #expect(ns.output.contains("default") && ns.output.contains("kube-system"))

        let first = try await Kubectl.run(version, sim, ["apply", "-f", file])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("deployment.apps/web created") && first.output.contains("service/web created"))
        let second = try await Kubectl.run(version, sim, ["apply", "-f", file])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("deployment.apps/web unchanged") && second.output.contains("service/web unchanged"))
        try manifest.replacingOccurrences(of: "\"one\"", with: "\"two\"").write(toFile: file, atomically: true, encoding: .utf8)
        let third = try await Kubectl.run(version, sim, ["apply", "-f", file])
        #expect(third.output.contains("deployment.apps/web configured"), "\(third.output)")
        let ssa = try await Kubectl.run(version, sim, ["apply", "--server-side", "-f", file])
        #expect(ssa.status == 0, "\(ssa.output)")
        #expect(ssa.output.contains("serverside-applied"))

        let json = try await Kubectl.run(version, sim, ["get", "deploy,svc", "-o", "json"])
        #expect(json.status == 0, "\(json.output)")
        let list = try JSONValue.parse(json.output)
        let items = list["items"]?.arrayValue ?? []
        #expect(items.contains { $0["kind"] == "Deployment" && $0[path: ["metadata", "name"]] == "web" })
        #expect(items.contains { $0["kind"] == "Service" && $0[path: ["metadata", "name"]] == "web" })
        let deploy = items.first { $0["kind"] == "Deployment" }
        #expect(deploy?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["env"] == [["name": "MODE", "value": "two"]])
        #expect(deploy?[path: ["metadata", "generation"]] == 2)
        #expect(deploy?[path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]] != nil)

        // Watch: the pod created while watching shows up.
        let run = try await Kubectl.run(version, sim, ["run", "first", "--image=busybox"])
        #expect(run.status == 0, "\(run.output)")
        let watcher = try Kubectl.start(version, sim, ["get", "pods", "-w"], requestTimeout: "40s")
        _ = try await watcher.waitForLine(startingWith: "first", timeout: .seconds(40))
        let second2 = try await Kubectl.run(version, sim, ["run", "second", "--image=busybox"])
        #expect(second2.status == 0)
        _ = try await watcher.waitForLine(startingWith: "second", timeout: .seconds(40))
        watcher.terminate()

        let forbidden = try await Kubectl.run(version, sim, ["--context", "klient-sim-readonly", "create", "configmap", "x", "--from-literal=a=b"])
        #expect(forbidden.status != 0)
        #expect(forbidden.output.contains("forbidden") && forbidden.output.contains("cannot create resource \"configmaps\""), "\(forbidden.output)")
        let readonlyGet = try await Kubectl.run(version, sim, ["--context", "klient-sim-readonly", "get", "pods"])
        #expect(readonlyGet.status == 0, "\(readonlyGet.output)")
        let execPlugin = try await Kubectl.run(version, sim, ["--context", "klient-sim-exec", "get", "ns", "default", "-o", "name"])
        #expect(execPlugin.output.contains("namespace/default"), "\(execPlugin.output)")
        let cert = try await Kubectl.run(version, sim, ["--context", "klient-sim-cert", "get", "nodes", "-o", "name"])
        #expect(cert.output.contains("node/klient-sim-node"), "\(cert.output)")

        let deleted = try await Kubectl.run(version, sim, ["delete", "-f", file])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(deleted.output.contains("deployment.apps \"web\" deleted"))
        let gone = try await Kubectl.run(version, sim, ["get", "deploy", "web"])
        #expect(gone.status != 0)
        #expect(gone.output.contains("NotFound"))

        #expect(try await sim.stop() == 0)
    }

    @Test func badFlagsFailClearly() async throws {
        let p = try TestProcess(SimServeProcess.binary, ["serve", "--lisen", "x"])
        #expect(try await p.finish() == 2)
        #expect(p.transcript.contains("unknown flag --lisen"))
        let q = try TestProcess(SimServeProcess.binary, ["serve", "--listen", "nonsense"])
        #expect(try await q.finish() == 2)
        #expect(q.transcript.contains("invalid --listen"))
    }

    @Test func faultCommandDrivesTheAPI() async throws {
        let sim = try await SimServeProcess()
        let p = try TestProcess(SimServeProcess.binary, ["fault", "fail-requests", "count=2", "code=429", "retryAfter=1",
                                                         "--kubeconfig", sim.kubeconfig])
        #expect(try await p.finish() == 0, "\(p.transcript)")
        #expect(p.transcript.contains("\"code\":429"))
        // client-go retries 429 with Retry-After: kubectl succeeds after the injected failures.
        let retried = try await Kubectl.run("1.33", sim, ["get", "ns", "default", "-o", "name"])
        #expect(retried.status == 0, "\(retried.output)")
        #expect(retried.output.contains("namespace/default"))
        let list = try TestProcess(SimServeProcess.binary, ["fault", "list", "--kubeconfig", sim.kubeconfig])
        #expect(try await list.finish() == 0)
        #expect(list.transcript.contains("\"injectedFailures\":2"), "\(list.transcript)")
        let bad = try TestProcess(SimServeProcess.binary, ["fault", "latency", "--kubeconfig", sim.kubeconfig])
        #expect(try await bad.finish() == 1)
        #expect(bad.transcript.contains("needs ?ms=N"), "\(bad.transcript)")
        #expect(try await sim.stop() == 0)
    }

    @Test func seedLoadsManifests() async throws {
        let dir = NSTemporaryDirectory() + "klient-sim-seed-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try (manifest + "\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cfg, namespace: extra}\n  data: {a: b}\n")
            .write(toFile: dir + "/seed.yaml", atomically: true, encoding: .utf8)
        let sim = try await SimServeProcess(extraArguments: ["--seed", dir + "/seed.yaml"])
        let got = try await Kubectl.run("1.33", sim, ["get", "deploy,svc,cm", "-A", "-o", "name"])
        #expect(got.output.contains("deployment.apps/web") && got.output.contains("service/web") && got.output.contains("configmap/cfg"), "\(got.output)")
        #expect(try await sim.stop() == 0)
    }
}
