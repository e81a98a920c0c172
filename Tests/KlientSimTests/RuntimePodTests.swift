import Foundation
import KlientWire
import Testing
@testable import KlientSim

private let pods = ResourceRegistry.pods

@Suite(.serialized) struct RuntimePodTests {
    @Test func podGetsRunningStatusAndLogs() async throws {
        let h = try RuntimeHarness()
        let created = try h.store.create(pods, namespace: "default", object: podManifest(
            "hello", command: ["sh", "-c", "echo hi; echo err >&2; pwd; sleep 30"]))
        let createdRV = Int(created[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
        let pod = try await h.waitFor("Running") { () -> JSONValue? in
            let p = h.pod("hello")
            return p?[path: ["status", "phase"]] == "Running" ? p : nil
        }
        #expect(pod[path: ["spec", "nodeName"]] == "klient-sim-node")
        #expect(Int(pod[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0 > createdRV)
        #expect(pod[path: ["status", "podIP"]] == "127.0.0.2")
        #expect(pod[path: ["status", "podIPs"]] == [["ip": "127.0.0.2"]])
        #expect(pod[path: ["status", "hostIP"]] == "127.0.0.1")
        #expect(pod[path: ["status", "startTime"]] != nil)
        let conditions = pod[path: ["status", "conditions"]]?.arrayValue ?? []
        for type in ["PodScheduled", "Initialized", "ContainersReady", "Ready"] {
            #expect(conditions.contains { $0["type"]?.stringValue == type && $0["status"] == "True" }, "\(type)")
        }
        let status = try #require(pod[path: ["status", "containerStatuses"]]?.arrayValue?.first)
        #expect(status["name"] == "main")
        #expect(status["image"] == "busybox")
        #expect(status["ready"] == true)
        #expect(status["started"] == true)
        #expect(status["restartCount"] == 0)
        #expect(status["containerID"]?.stringValue?.hasPrefix("klient-sim://") == true)
        #expect(status[path: ["state", "running", "startedAt"]] != nil)
        let workdir = h.runtime.workingDirectory(namespace: "default", name: "hello")
        let log = try await h.waitFor("log lines") { () async throws -> String? in
            let (code, body) = try await h.log("hello")
            return code == 200 && body.contains(workdir) ? body : nil
        }
        let lines = log.split(separator: "\n").map(String.init)
        #expect(Set(lines) == ["hi", "err", workdir])
        #expect(FileManager.default.fileExists(atPath: workdir))

        // A second pod gets the next address.
        try h.store.create(pods, namespace: "default", object: podManifest("idle"))
        let idle = try await h.waitFor("idle Running") { h.pod("idle")?[path: ["status", "phase"]] == "Running" ? h.pod("idle") : nil }
        #expect(idle[path: ["status", "podIP"]] == "127.0.0.3")
        #expect(idle[path: ["status", "containerStatuses", "0"]] == nil) // arrays are not paths
        #expect(idle[path: ["status", "containerStatuses"]]?.arrayValue?.first?["ready"] == true)
        #expect(try await h.log("idle").1 == "")
        #expect(h.runtime.attachment(namespace: "default", pod: "idle", container: "main") == nil)

        // Deleting kills the process and removes the working directory.
        let pid = try #require(h.runtime.processIDs(namespace: "default", pod: "hello")["main"])
        #expect(processExists(pid))
        try h.store.delete(pods, namespace: "default", name: "hello")
        try await h.waitFor("process gone") { processExists(pid) ? nil : true }
        try await h.waitFor("working directory removed") { FileManager.default.fileExists(atPath: workdir) ? nil : true }
        await h.shutdown()
    }

    @Test func crashingContainerRestarts() async throws {
        let h = try RuntimeHarness()
        try h.store.create(pods, namespace: "default", object: podManifest(
            "crash", command: ["sh", "-c", "echo run; exit 3"]))
        let pod = try await h.waitFor("two restarts") { () -> JSONValue? in
            let s = h.pod("crash")?[path: ["status", "containerStatuses"]]?.arrayValue?.first
            return (s?["restartCount"]?.intValue ?? 0) >= 2 ? h.pod("crash") : nil
        }
        let status = try #require(pod[path: ["status", "containerStatuses"]]?.arrayValue?.first)
        #expect(status[path: ["lastState", "terminated", "exitCode"]] == 3)
        #expect(status[path: ["lastState", "terminated", "reason"]] == "Error")
        #expect(pod[path: ["status", "phase"]] == "Running")
        // The previous instance's log is there.
        let (code, previous) = try await h.log("crash", "previous=true")
        #expect(code == 200)
        #expect(previous == "run\n")
        await h.shutdown()
    }

    @Test func neverRestartEndsInSucceededOrFailed() async throws {
        let h = try RuntimeHarness()
        try h.store.create(pods, namespace: "default", object: podManifest("ok", command: ["true"], restartPolicy: "Never"))
        try h.store.create(pods, namespace: "default", object: podManifest("bad", command: ["sh", "-c", "exit 7"], restartPolicy: "Never"))
        let ok = try await h.waitFor("Succeeded") { h.pod("ok")?[path: ["status", "phase"]] == "Succeeded" ? h.pod("ok") : nil }
        let bad = try await h.waitFor("Failed") { h.pod("bad")?[path: ["status", "phase"]] == "Failed" ? h.pod("bad") : nil }
        #expect(ok[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "terminated", "exitCode"]] == 0)
        #expect(ok[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "terminated", "reason"]] == "Completed")
        #expect(bad[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "terminated", "exitCode"]] == 7)
        #expect(bad[path: ["status", "containerStatuses"]]?.arrayValue?.first?["restartCount"] == 0)
        await h.shutdown()
    }

    @Test func attachReachesStdinAndOutput() async throws {
        let h = try RuntimeHarness()
        var manifest = podManifest("cat", command: ["cat"])
        manifest[path: ["spec", "containers"]] = [["name": "main", "image": "busybox", "command": ["cat"], "stdin": true]]
        try h.store.create(pods, namespace: "default", object: manifest)
        let attachment = try await h.waitFor("attachment") {
            h.runtime.attachment(namespace: "default", pod: "cat", container: "main")
        }
        #expect(attachment.isTTY == false)
        let output = attachment.subscribeOutput()
        let second = attachment.subscribeOutput()
        try await attachment.writeStdin(Array("ping\n".utf8))
        var iterator = output.makeAsyncIterator()
        let chunk = try #require(await iterator.next())
        #expect(chunk.channel == 1)
        #expect(chunk.bytes == Array("ping\n".utf8))
        var other = second.makeAsyncIterator()
        #expect(await other.next()?.bytes == Array("ping\n".utf8))
        attachment.closeStdin()
        // cat exits on EOF: the output streams finish, and the container restarts (policy Always).
        while await iterator.next() != nil {}
        try await h.waitFor("restart") {
            (h.pod("cat")?[path: ["status", "containerStatuses"]]?.arrayValue?.first?["restartCount"]?.intValue ?? 0) >= 1 ? true : nil
        }
        let log = try await h.log("cat", "previous=true")
        #expect(log.1 == "ping\n")
        await h.shutdown()
    }

    @Test func restartPodFaultRestartsContainersOfAPlainPod() async throws {
        let h = try RuntimeHarness()
        try h.store.create(pods, namespace: "default", object: podManifest("plain", command: ["sleep", "30"]))
        let pid = try await h.waitFor("pid") { h.runtime.processIDs(namespace: "default", pod: "plain")["main"] }
        #expect(try h.runtime.restartPod(namespace: "default", name: "plain") == .containersRestarted)
        try await h.waitFor("restarted") { () -> Bool? in
            let s = h.pod("plain")?[path: ["status", "containerStatuses"]]?.arrayValue?.first
            guard s?["restartCount"] == 1, s?["ready"] == true else { return nil }
            return true
        }
        let newPID = try await h.waitFor("new pid") { h.runtime.processIDs(namespace: "default", pod: "plain")["main"] }
        #expect(newPID != pid)
        try await h.waitFor("old process gone") { processExists(pid) ? nil : true }
        #expect(throws: StoreError.self) { try h.runtime.restartPod(namespace: "default", name: "nope") }
        await h.shutdown()
    }

    @Test func envAndTTY() async throws {
        let h = try RuntimeHarness()
        let manifest: JSONValue = ["metadata": ["name": "env"], "spec": ["containers": [[
            "name": "main", "image": "busybox", "tty": true,
            "command": ["sh", "-c"], "args": ["echo \"$GREETING $(NAME) $POD\"; test -t 1 && echo tty; sleep 30"],
            "env": [["name": "GREETING", "value": "hello"], ["name": "NAME", "value": "world"],
                    ["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]],
        ]]]]
        try h.store.create(pods, namespace: "default", object: manifest)
        let log = try await h.waitFor("tty log") { () async throws -> String? in
            let body = try await h.log("env").1
            return body.contains("tty") ? body : nil
        }
        // $(NAME) is expanded by Kubernetes rules before the shell sees it.
        #expect(log.contains("hello world env"))
        #expect(h.runtime.attachment(namespace: "default", pod: "env", container: "main")?.isTTY == true)
        await h.shutdown()
    }
}
