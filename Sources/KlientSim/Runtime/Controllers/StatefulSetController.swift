import KlientWire

/// Keeps pods `<name>-0` … `<name>-(replicas-1)` for each StatefulSet
/// (stable names: a deleted pod comes back with the same name), deletes
/// ordinals at or above `replicas`, and reports counts in the status.
/// Template changes are recorded as a new update revision but running pods
/// are not rolled.
struct StatefulSetController: Sendable {
    let store: ObjectStore

    static let statefulSets = ResourceRegistry.standard.lookup(group: "apps", version: "v1", name: "statefulsets")!

    func register(_ loop: ControllerLoop) throws {
        try loop.watch(Self.statefulSets) { [ControllerLoop.key(of: $0.object)] }
        try loop.watch(ResourceRegistry.pods) { ControllerLoop.ownerKey(of: $0.object, kind: "StatefulSet") }
    }

    func reconcile(namespace: String, name: String) throws {
        guard let set = try? store.get(Self.statefulSets, namespace: namespace, name: name) else { return }
        let replicas = Int(set[path: ["spec", "replicas"]]?.intValue ?? 1)
        let revision = name + "-" + DeploymentController.templateHash(set[path: ["spec", "template"]])
        var pods = try ControllerObjects.ownedPods(store, namespace: namespace, owner: set)
        let names = Set(pods.map(ControllerObjects.name))
        for ordinal in 0..<max(0, replicas) where !names.contains("\(name)-\(ordinal)") {
            let podName = "\(name)-\(ordinal)"
            var pod = ControllerObjects.pod(from: set[path: ["spec", "template"]], namespace: namespace, owner: set,
                                            name: podName, extraLabels: [
                                                "statefulset.kubernetes.io/pod-name": podName,
                                                "controller-revision-hash": revision,
                                                "apps.kubernetes.io/pod-index": String(ordinal)])
            pod[path: ["spec", "hostname"]] = .string(podName)
            if let service = set[path: ["spec", "serviceName"]]?.stringValue, !service.isEmpty {
                pod[path: ["spec", "subdomain"]] = .string(service)
            }
            // The previous pod of this name may still be on its way out.
            if let created = try? store.create(ResourceRegistry.pods, namespace: namespace, object: pod) {
                pods.append(created)
            }
        }
        for pod in pods {
            let podName = ControllerObjects.name(pod)
            guard podName.hasPrefix(name + "-"), let ordinal = Int(podName.dropFirst(name.count + 1)),
                  ordinal >= replicas else { continue }
            _ = try? store.delete(ResourceRegistry.pods, namespace: namespace, name: podName)
        }
        pods.removeAll { pod in
            let podName = ControllerObjects.name(pod)
            return (Int(podName.dropFirst(name.count + 1)) ?? 0) >= replicas
        }
        let active = pods.filter(ControllerObjects.isActive)
        let ready = active.filter(ControllerObjects.isReady).count
        try ControllerObjects.writeStatus(store, Self.statefulSets, set, [
            "observedGeneration": set[path: ["metadata", "generation"]] ?? 1,
            "replicas": .int(Int64(active.count)), "readyReplicas": .int(Int64(ready)),
            "currentReplicas": .int(Int64(active.count)), "updatedReplicas": .int(Int64(active.count)),
            "availableReplicas": .int(Int64(ready)),
            "currentRevision": .string(revision), "updateRevision": .string(revision),
            "collisionCount": 0,
        ])
    }
}
