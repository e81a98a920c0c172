import KlientWire

/// Keeps one pod per DaemonSet (the simulated cluster has one node) and
/// reports the scheduling counts in its status.
struct DaemonSetController: Sendable {
    let store: ObjectStore

    static let daemonSets = ResourceRegistry.standard.lookup(group: "apps", version: "v1", name: "daemonsets")!

    func register(_ loop: ControllerLoop) throws {
        try loop.watch(Self.daemonSets) { [ControllerLoop.key(of: $0.object)] }
        try loop.watch(ResourceRegistry.pods) { ControllerLoop.ownerKey(of: $0.object, kind: "DaemonSet") }
    }

    func reconcile(namespace: String, name: String) throws {
        guard let set = try? store.get(Self.daemonSets, namespace: namespace, name: name) else { return }
        var pods = try ControllerObjects.ownedPods(store, namespace: namespace, owner: set).filter(ControllerObjects.isActive)
        if pods.isEmpty {
            var pod = ControllerObjects.pod(from: set[path: ["spec", "template"]], namespace: namespace, owner: set,
                                            generateName: name + "-")
            pod[path: ["spec", "nodeName"]] = .string(PodRuntime.nodeName)
            pods.append(try store.create(ResourceRegistry.pods, namespace: namespace, object: pod))
        }
        for extra in pods.dropFirst() {
            _ = try? store.delete(ResourceRegistry.pods, namespace: namespace, name: ControllerObjects.name(extra))
        }
        let ready = ControllerObjects.isReady(pods[0]) ? 1 : 0
        try ControllerObjects.writeStatus(store, Self.daemonSets, set, [
            "observedGeneration": set[path: ["metadata", "generation"]] ?? 1,
            "desiredNumberScheduled": 1, "currentNumberScheduled": 1, "updatedNumberScheduled": 1,
            "numberMisscheduled": 0, "numberReady": .int(Int64(ready)), "numberAvailable": .int(Int64(ready)),
            "numberUnavailable": .int(Int64(1 - ready)),
        ])
    }
}
