import Foundation
import KlientWire
import Testing
@testable import KlientSim

private let pods = ResourceRegistry.pods
private let deployments = ResourceRegistry.deployments
private let replicaSets = ResourceRegistry.replicaSets

private func deployment(_ name: String, replicas: Int64, image: String = "busybox") -> JSONValue {
    ["apiVersion": "apps/v1", "kind": "Deployment",
     "metadata": ["name": .string(name)],
     "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
              "template": ["metadata": ["labels": ["app": .string(name)]],
                           "spec": ["containers": [["name": "web", "image": .string(image),
                                                    "command": ["sleep", "300"],
                                                    "ports": [["name": "http", "containerPort": 8080]]]]]]]]
}

private func names(_ objects: [JSONValue]) -> Set<String> { Set(objects.map { $0[path: ["metadata", "name"]]?.stringValue ?? "" }) }

@Suite(.serialized) struct ControllerTests {
    @Test func deploymentKeepsReplicasThroughAReplicaSet() async throws {
        let h = try RuntimeHarness(controllers: true)
        try h.store.create(deployments, namespace: "default", object: deployment("web", replicas: 3))
        let deploy = try await h.waitFor("rollout complete") { () -> JSONValue? in
            let d = try? h.store.get(deployments, namespace: "default", name: "web")
            let done = d?[path: ["status", "availableReplicas"]] == 3 && d?[path: ["status", "updatedReplicas"]] == 3
                && d?[path: ["status", "observedGeneration"]] == d?[path: ["metadata", "generation"]]
            return done ? d : nil
        }
        // What `kubectl rollout status` looks at.
        #expect(deploy[path: ["status", "replicas"]] == 3)
        #expect(deploy[path: ["status", "readyReplicas"]] == 3)
        let conditions = deploy[path: ["status", "conditions"]]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Available" && $0["status"] == "True" })
        let progressing = try await h.waitFor("NewReplicaSetAvailable") { () -> JSONValue? in
            let d = try? h.store.get(deployments, namespace: "default", name: "web")
            return (d?[path: ["status", "conditions"]]?.arrayValue ?? []).first {
                $0["type"] == "Progressing" && $0["reason"] == "NewReplicaSetAvailable"
            }
        }
        #expect(progressing["status"] == "True")
        let sets = try h.store.list(replicaSets, namespace: "default").items
        #expect(sets.count == 1)
        let rs = try #require(sets.first)
        let hash = try #require(rs[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue)
        #expect(rs[path: ["metadata", "name"]]?.stringValue == "web-\(hash)")
        #expect(rs[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["controller"] == true)
        #expect(rs[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["kind"] == "Deployment")
        let podList = h.pods()
        #expect(podList.count == 3)
        for pod in podList {
            let name = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            #expect(name.hasPrefix("web-\(hash)-") && name.count == "web-\(hash)-".count + 5)
            #expect(pod[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue == hash)
            #expect(pod[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["name"] == rs[path: ["metadata", "name"]])
        }

        // A deleted pod is replaced by one with a new name.
        let before = names(podList)
        let victim = try #require(before.sorted().first)
        try h.store.delete(pods, namespace: "default", name: victim)
        let after = try await h.waitFor("replacement") { () -> Set<String>? in
            let now = names(h.pods())
            return now.count == 3 && !now.contains(victim) ? now : nil
        }
        #expect(after.subtracting(before).count == 1)

        // The restart fault on a ReplicaSet pod also gives a new name.
        let restarted = try #require(after.sorted().first)
        #expect(try h.runtime.restartPod(namespace: "default", name: restarted) == .deletedForReplacement)
        _ = try await h.waitFor("fault replacement") { () -> Bool? in
            let now = names(h.pods())
            return now.count == 3 && !now.contains(restarted) ? true : nil
        }

        // Scale up and down.
        try h.store.modify(deployments, namespace: "default", name: "web") { $0[path: ["spec", "replicas"]] = 5 }
        _ = try await h.waitFor("5 pods") { h.pods().count == 5 ? true : nil }
        try h.store.modify(deployments, namespace: "default", name: "web") { $0[path: ["spec", "replicas"]] = 2 }
        _ = try await h.waitFor("2 pods") { h.pods().count == 2 ? true : nil }
        _ = try await h.waitFor("status 2") { () -> Bool? in
            let d = try? h.store.get(deployments, namespace: "default", name: "web")
            return d?[path: ["status", "availableReplicas"]] == 2 && d?[path: ["status", "replicas"]] == 2 ? true : nil
        }

        // A template change makes a new ReplicaSet and scales the old one to 0.
        try h.store.modify(deployments, namespace: "default", name: "web") {
            $0[path: ["spec", "template", "metadata", "labels", "version"]] = "2"
        }
        let newRS = try await h.waitFor("second replica set") { () -> JSONValue? in
            let sets = (try? h.store.list(replicaSets, namespace: "default").items) ?? []
            return sets.count == 2 ? sets.first { $0[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue != hash } : nil
        }
        #expect(newRS[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
        _ = try await h.waitFor("old scaled to 0, new pods") { () -> Bool? in
            let old = try? h.store.get(replicaSets, namespace: "default", name: "web-\(hash)")
            let ps = h.pods()
            let allNew = ps.allSatisfy { $0[path: ["metadata", "labels", "version"]] == "2" }
            return old?[path: ["spec", "replicas"]] == 0 && ps.count == 2 && allNew ? true : nil
        }

        // Deleting the Deployment removes the ReplicaSets, the pods and their processes.
        let pids = try await h.waitFor("both new pods' processes running") { () -> [Int32]? in
            let pids = h.pods().flatMap { pod in
                h.runtime.processIDs(namespace: "default", pod: pod[path: ["metadata", "name"]]?.stringValue ?? "").values
            }
            return pids.count == 2 ? pids : nil
        }
        try h.store.delete(deployments, namespace: "default", name: "web")
        #expect(try h.store.list(replicaSets, namespace: "default").items.isEmpty)
        #expect(h.pods().isEmpty)
        try await h.waitFor("processes gone") { pids.contains(where: processExists) ? nil : true }
        try await h.waitFor("runtime idle") { h.runtime.runningPods.isEmpty ? true : nil }
        await h.shutdown()
    }

    @Test func endpointsFollowReadyPods() async throws {
        let h = try RuntimeHarness(controllers: true)
        let service: JSONValue = ["metadata": ["name": "web", "labels": ["tier": "front"]],
                                  "spec": ["selector": ["app": "web"],
                                           "ports": [["name": "http", "port": 80, "targetPort": "http"],
                                                     ["name": "raw", "port": 81, "targetPort": 9000]]]]
        try h.store.create(ResourceRegistry.services, namespace: "default", object: service)
        _ = try await h.waitFor("empty endpoints") { try? h.store.get(ResourceRegistry.endpoints, namespace: "default", name: "web") }
        try h.store.create(deployments, namespace: "default", object: deployment("web", replicas: 2))
        let endpoints = try await h.waitFor("two addresses") { () -> JSONValue? in
            let ep = try? h.store.get(ResourceRegistry.endpoints, namespace: "default", name: "web")
            let addresses = ep?["subsets"]?.arrayValue?.first?["addresses"]?.arrayValue ?? []
            return addresses.count == 2 ? ep : nil
        }
        let subset = try #require(endpoints["subsets"]?.arrayValue?.first)
        let ips = Set((subset["addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue })
        let podIPs = Set(h.pods().compactMap { $0[path: ["status", "podIP"]]?.stringValue })
        #expect(ips == podIPs)
        #expect(Set(subset["ports"]?.arrayValue ?? []) == [["name": "http", "port": 8080, "protocol": "TCP"],
                                                            ["name": "raw", "port": 9000, "protocol": "TCP"]])
        #expect(endpoints[path: ["metadata", "labels", "tier"]] == "front")
        #expect(subset["addresses"]?.arrayValue?.first?[path: ["targetRef", "kind"]] == "Pod")

        // Scale to 1: the endpoints follow.
        try h.store.modify(deployments, namespace: "default", name: "web") { $0[path: ["spec", "replicas"]] = 1 }
        _ = try await h.waitFor("one address") { () -> Bool? in
            let ep = try? h.store.get(ResourceRegistry.endpoints, namespace: "default", name: "web")
            let addresses = ep?["subsets"]?.arrayValue?.first?["addresses"]?.arrayValue ?? []
            return addresses.count == 1 && h.pods().count == 1 ? true : nil
        }
        // Deleting the service deletes its endpoints.
        try h.store.delete(ResourceRegistry.services, namespace: "default", name: "web")
        _ = try await h.waitFor("endpoints deleted") {
            (try? h.store.get(ResourceRegistry.endpoints, namespace: "default", name: "web")) == nil ? true : nil
        }
        await h.shutdown()
    }

    @Test func statefulSetAndDaemonSet() async throws {
        let h = try RuntimeHarness(controllers: true)
        let template: JSONValue = ["metadata": ["labels": ["app": "db"]],
                                   "spec": ["containers": [["name": "db", "image": "busybox"]]]]
        try h.store.create(StatefulSetController.statefulSets, namespace: "default", object: [
            "metadata": ["name": "db"],
            "spec": ["replicas": 3, "serviceName": "db", "selector": ["matchLabels": ["app": "db"]], "template": template]])
        _ = try await h.waitFor("db-0..2") { names(h.pods()) == ["db-0", "db-1", "db-2"] ? true : nil }
        _ = try await h.waitFor("ready 3") { () -> Bool? in
            let s = try? h.store.get(StatefulSetController.statefulSets, namespace: "default", name: "db")
            return s?[path: ["status", "readyReplicas"]] == 3 ? true : nil
        }
        let uid = h.pod("db-1")?[path: ["metadata", "uid"]]
        try h.store.delete(pods, namespace: "default", name: "db-1")
        _ = try await h.waitFor("db-1 back") { () -> Bool? in
            let p = h.pod("db-1")
            return p != nil && p?[path: ["metadata", "uid"]] != uid ? true : nil
        }
        try h.store.modify(StatefulSetController.statefulSets, namespace: "default", name: "db") { $0[path: ["spec", "replicas"]] = 1 }
        _ = try await h.waitFor("db-0 only") { names(h.pods()) == ["db-0"] ? true : nil }
        try h.store.delete(StatefulSetController.statefulSets, namespace: "default", name: "db")
        #expect(h.pods().isEmpty)

        var dsTemplate = template
        dsTemplate[path: ["metadata", "labels", "app"]] = "agent"
        try h.store.create(DaemonSetController.daemonSets, namespace: "default", object: [
            "metadata": ["name": "agent"], "spec": ["selector": ["matchLabels": ["app": "agent"]], "template": dsTemplate]])
        _ = try await h.waitFor("one agent ready") { () -> Bool? in
            let d = try? h.store.get(DaemonSetController.daemonSets, namespace: "default", name: "agent")
            return d?[path: ["status", "numberReady"]] == 1 && h.pods().count == 1 ? true : nil
        }
        await h.shutdown()
    }
}
