import KlientWire

/// Keeps `spec.replicas` active pods for each ReplicaSet: creates pods from
/// the template (`generateName: <rs>-`, so replacements get new names) and
/// deletes surplus ones (not-ready and newest first), and reports
/// replicas/ready/available counts in its status.
struct ReplicaSetController: Sendable {
    let store: ObjectStore

    func register(_ loop: ControllerLoop) throws {
        try loop.watch(ResourceRegistry.replicaSets) { [ControllerLoop.key(of: $0.object)] }
        try loop.watch(ResourceRegistry.pods) { ControllerLoop.ownerKey(of: $0.object, kind: "ReplicaSet") }
    }

    func reconcile(namespace: String, name: String) throws {
        guard let rs = try? store.get(ResourceRegistry.replicaSets, namespace: namespace, name: name) else { return }
        let desired = Int(rs[path: ["spec", "replicas"]]?.intValue ?? 1)
        var pods = try ControllerObjects.ownedPods(store, namespace: namespace, owner: rs).filter(ControllerObjects.isActive)
        if pods.count < desired {
            for _ in pods.count..<desired {
                let pod = ControllerObjects.pod(from: rs[path: ["spec", "template"]], namespace: namespace, owner: rs,
                                                generateName: name + "-")
                // A generated name can collide; try a few times.
                for attempt in 0..<5 {
                    do {
                        pods.append(try store.create(ResourceRegistry.pods, namespace: namespace, object: pod))
                        break
                    } catch StoreError.alreadyExists where attempt < 4 {
                        continue
                    }
                }
            }
        } else if pods.count > desired {
            let victims = pods.sorted { a, b in
                let ra = ControllerObjects.isReady(a), rb = ControllerObjects.isReady(b)
                if ra != rb { return !ra }
                let ta = a[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
                let tb = b[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
                return ta > tb
            }.prefix(pods.count - desired)
            for victim in victims {
                _ = try? store.delete(ResourceRegistry.pods, namespace: namespace, name: ControllerObjects.name(victim))
            }
            let gone = Set(victims.map(ControllerObjects.name))
            pods.removeAll { gone.contains(ControllerObjects.name($0)) }
        }
        let ready = pods.filter(ControllerObjects.isReady).count
        let selector = try? LabelSelector(object: rs[path: ["spec", "selector"]] ?? .object([:]))
        let labeled = pods.filter { selector?.matches(ControllerObjects.labels($0)) ?? true }.count
        try ControllerObjects.writeStatus(store, ResourceRegistry.replicaSets, rs, [
            "replicas": .int(Int64(pods.count)),
            "fullyLabeledReplicas": .int(Int64(labeled)),
            "readyReplicas": .int(Int64(ready)),
            "availableReplicas": .int(Int64(ready)),
            "observedGeneration": rs[path: ["metadata", "generation"]] ?? 1,
        ])
    }
}
