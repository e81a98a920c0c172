import KlientWire

/// Runs Deployments through ReplicaSets: the ReplicaSet for the current pod
/// template (`<deploy>-<pod-template-hash>`) is scaled to `spec.replicas`,
/// older ones to 0 (a simple recreate-style rollout), and the Deployment's
/// status carries what `kubectl rollout status` checks: observedGeneration,
/// replicas, updatedReplicas, readyReplicas, availableReplicas and the
/// Available / Progressing conditions.
struct DeploymentController: Sendable {
    let store: ObjectStore

    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    func register(_ loop: ControllerLoop) throws {
        try loop.watch(ResourceRegistry.deployments) { [ControllerLoop.key(of: $0.object)] }
        try loop.watch(ResourceRegistry.replicaSets) { ControllerLoop.ownerKey(of: $0.object, kind: "Deployment") }
    }

    /// The pod-template-hash of a template: FNV-1a (32 bit) of its canonical
    /// JSON, its decimal digits mapped onto the API server's "safe" alphabet.
    static func templateHash(_ template: JSONValue?) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in (template ?? .null).encoded() {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    func reconcile(namespace: String, name: String) throws {
        guard let deploy = try? store.get(ResourceRegistry.deployments, namespace: namespace, name: name) else { return }
        let uid = ControllerObjects.uid(deploy)
        let replicas = deploy[path: ["spec", "replicas"]]?.intValue ?? 1
        let template = deploy[path: ["spec", "template"]]
        let hash = Self.templateHash(template)
        let owned = try store.list(ResourceRegistry.replicaSets, namespace: namespace).items
            .filter { ControllerObjects.isControlled($0, by: uid) }
        let revisions = owned.map { Int($0[path: ["metadata", "annotations", Self.revisionAnnotation]]?.stringValue ?? "") ?? 0 }
        var newRS = owned.first { ControllerObjects.labels($0)["pod-template-hash"] == hash }
        let revision: String
        if let existing = newRS {
            revision = existing[path: ["metadata", "annotations", Self.revisionAnnotation]]?.stringValue ?? "1"
            let rsReplicas = existing[path: ["spec", "replicas"]]?.intValue
            let isLatest = (Int(revision) ?? 0) >= (revisions.max() ?? 0)
            if rsReplicas != replicas || !isLatest {
                let next = isLatest ? revision : String((revisions.max() ?? 0) + 1)
                newRS = try store.modify(ResourceRegistry.replicaSets, namespace: namespace,
                                         name: ControllerObjects.name(existing)) { rs in
                    rs[path: ["spec", "replicas"]] = .int(replicas)
                    rs[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(next)
                    rs[path: ["metadata", "annotations", "deployment.kubernetes.io/desired-replicas"]] = .string(String(replicas))
                }
            }
        } else {
            revision = String((revisions.max() ?? 0) + 1)
            var rsTemplate = template ?? .object([:])
            rsTemplate[path: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
            var selector = deploy[path: ["spec", "selector"]] ?? .object([:])
            selector[path: ["matchLabels", "pod-template-hash"]] = .string(hash)
            var labels = rsTemplate[path: ["metadata", "labels"]] ?? .object([:])
            labels["pod-template-hash"] = .string(hash)
            let rs: JSONValue = [
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string("\(name)-\(hash)"), "namespace": .string(namespace), "labels": labels,
                             "annotations": [Self.revisionAnnotation: .string(revision),
                                             "deployment.kubernetes.io/desired-replicas": .string(String(replicas)),
                                             "deployment.kubernetes.io/max-replicas": .string(String(replicas))],
                             "ownerReferences": [ControllerObjects.ownerReference(to: deploy)]],
                "spec": ["replicas": .int(replicas), "selector": selector, "template": rsTemplate,
                         "minReadySeconds": deploy[path: ["spec", "minReadySeconds"]] ?? 0],
            ]
            newRS = try store.create(ResourceRegistry.replicaSets, namespace: namespace, object: rs)
        }
        for old in owned where ControllerObjects.name(old) != ControllerObjects.name(newRS ?? .null) {
            if old[path: ["spec", "replicas"]]?.intValue != 0 {
                try store.modify(ResourceRegistry.replicaSets, namespace: namespace, name: ControllerObjects.name(old)) { rs in
                    rs[path: ["spec", "replicas"]] = 0
                }
            }
        }
        if deploy[path: ["metadata", "annotations", Self.revisionAnnotation]]?.stringValue != revision {
            try store.modify(ResourceRegistry.deployments, namespace: namespace, name: name) { d in
                d[path: ["metadata", "annotations", Self.revisionAnnotation]] = .string(revision)
            }
        }
        try writeStatus(namespace: namespace, name: name, newRS: newRS)
    }

    private func writeStatus(namespace: String, name: String, newRS: JSONValue?) throws {
        guard let deploy = try? store.get(ResourceRegistry.deployments, namespace: namespace, name: name) else { return }
        let uid = ControllerObjects.uid(deploy)
        let owned = try store.list(ResourceRegistry.replicaSets, namespace: namespace).items
            .filter { ControllerObjects.isControlled($0, by: uid) }
        let newName = ControllerObjects.name(newRS ?? .null)
        func sum(_ field: String) -> Int64 { owned.reduce(0) { $0 + ($1[path: ["status", field]]?.intValue ?? 0) } }
        let desired = deploy[path: ["spec", "replicas"]]?.intValue ?? 1
        let current = owned.first { ControllerObjects.name($0) == newName }
        let updated = current?[path: ["status", "replicas"]]?.intValue ?? 0
        let total = sum("replicas"), ready = sum("readyReplicas"), available = sum("availableReplicas")
        let complete = updated == desired && total == desired && available == desired
            && current?[path: ["status", "observedGeneration"]] == current?[path: ["metadata", "generation"]]
        let now = SimClock.timestamp()
        let previous = deploy[path: ["status", "conditions"]]
        let availableCondition = available >= desired
            ? ControllerObjects.condition("Available", true, reason: "MinimumReplicasAvailable",
                                          message: "Deployment has minimum availability.", previous: previous, now: now)
            : ControllerObjects.condition("Available", false, reason: "MinimumReplicasUnavailable",
                                          message: "Deployment does not have minimum availability.", previous: previous, now: now)
        let progressing = complete
            ? ControllerObjects.condition("Progressing", true, reason: "NewReplicaSetAvailable",
                                          message: "ReplicaSet \"\(newName)\" has successfully progressed.",
                                          previous: previous, now: now)
            : ControllerObjects.condition("Progressing", true, reason: "ReplicaSetUpdated",
                                          message: "ReplicaSet \"\(newName)\" is progressing.", previous: previous, now: now)
        var fields: [String: JSONValue] = [
            "observedGeneration": deploy[path: ["metadata", "generation"]] ?? 1,
            "replicas": .int(total), "updatedReplicas": .int(updated), "readyReplicas": .int(ready),
            "availableReplicas": .int(available), "conditions": [availableCondition, progressing],
        ]
        let unavailable = max(0, desired - available)
        fields["unavailableReplicas"] = unavailable > 0 ? .int(unavailable) : nil
        // Conditions carry timestamps: compare without them so an idle deployment is not rewritten.
        func stripped(_ v: JSONValue?) -> JSONValue? {
            guard let items = v?.arrayValue else { return v }
            return .array(items.map { var c = $0; c["lastUpdateTime"] = nil; c["lastTransitionTime"] = nil; return c })
        }
        var same = stripped(previous) == stripped(fields["conditions"])
        for (k, v) in fields where k != "conditions" && deploy[path: ["status", k]] != v { same = false }
        if unavailable == 0, deploy[path: ["status", "unavailableReplicas"]] != nil { same = false }
        if same { return }
        try store.modify(ResourceRegistry.deployments, namespace: namespace, name: name, target: .status) { d in
            guard d[path: ["metadata", "uid"]]?.stringValue == uid else { return }
            var status = d["status"] ?? .object([:])
            for (k, v) in fields { status[k] = v }
            if unavailable == 0 { status["unavailableReplicas"] = nil }
            d["status"] = status
        }
    }
}
