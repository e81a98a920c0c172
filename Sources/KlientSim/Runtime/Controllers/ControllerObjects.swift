import KlientWire

/// Helpers the controllers share for reading and building objects.
enum ControllerObjects {
    /// The ownerReference with `controller: true`.
    static func controllerReference(of object: JSONValue) -> JSONValue? {
        (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { $0["controller"]?.boolValue == true }
    }

    /// Whether `object` is controlled by the object with `uid`.
    static func isControlled(_ object: JSONValue, by uid: String) -> Bool {
        controllerReference(of: object)?["uid"]?.stringValue == uid
    }

    /// An ownerReference to `owner` with controller and blockOwnerDeletion set.
    static func ownerReference(to owner: JSONValue) -> JSONValue {
        ["apiVersion": owner["apiVersion"] ?? "apps/v1", "kind": owner["kind"] ?? "",
         "name": owner[path: ["metadata", "name"]] ?? "", "uid": owner[path: ["metadata", "uid"]] ?? "",
         "controller": true, "blockOwnerDeletion": true]
    }

    static func name(_ object: JSONValue) -> String { object[path: ["metadata", "name"]]?.stringValue ?? "" }
    static func uid(_ object: JSONValue) -> String { object[path: ["metadata", "uid"]]?.stringValue ?? "" }

    static func labels(_ object: JSONValue, _ path: [String] = ["metadata", "labels"]) -> [String: String] {
        (object[path: path]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// A pod still counts toward its controller's replicas (not finished, not being deleted).
    static func isActive(_ pod: JSONValue) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.stringValue
        return phase != "Succeeded" && phase != "Failed" && pod[path: ["metadata", "deletionTimestamp"]] == nil
    }

    /// The pod's Ready condition is True.
    static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }

    /// A pod object from a workload's `spec.template`.
    static func pod(from template: JSONValue?, namespace: String, owner: JSONValue,
                    name: String? = nil, generateName: String? = nil, extraLabels: [String: String] = [:]) -> JSONValue {
        var metadata = template?["metadata"] ?? .object([:])
        var labels = metadata["labels"] ?? .object([:])
        for (k, v) in extraLabels { labels[k] = .string(v) }
        metadata["labels"] = labels
        metadata["namespace"] = .string(namespace)
        if let name { metadata["name"] = .string(name) }
        if let generateName { metadata["generateName"] = .string(generateName) }
        metadata["ownerReferences"] = [ownerReference(to: owner)]
        metadata["creationTimestamp"] = nil
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template?["spec"] ?? .object([:])]
    }

    /// Pods in `namespace` controlled by `owner`.
    static func ownedPods(_ store: ObjectStore, namespace: String, owner: JSONValue) throws -> [JSONValue] {
        let uid = uid(owner)
        return try store.list(ResourceRegistry.pods, namespace: namespace).items.filter { isControlled($0, by: uid) }
    }

    /// Writes `status` fields if they differ from the stored ones.
    static func writeStatus(_ store: ObjectStore, _ resource: ResourceType, _ object: JSONValue,
                            _ fields: [String: JSONValue]) throws {
        var changed = false
        for (k, v) in fields where object[path: ["status", k]] != v { changed = true }
        guard changed else { return }
        let uid = uid(object)
        try store.modify(resource, namespace: object[path: ["metadata", "namespace"]]?.stringValue,
                         name: name(object), target: .status) { current in
            guard current[path: ["metadata", "uid"]]?.stringValue == uid else { return }
            var status = current["status"] ?? .object([:])
            for (k, v) in fields { status[k] = v }
            current["status"] = status
        }
    }

    /// A workload condition, keeping the transition time while the status stays the same.
    static func condition(_ type: String, _ value: Bool, reason: String, message: String, previous: JSONValue?,
                          now: String) -> JSONValue {
        let old = (previous?.arrayValue ?? []).first { $0["type"]?.stringValue == type }
        let status = value ? "True" : "False"
        let sameStatus = old?["status"]?.stringValue == status
        let sameReason = sameStatus && old?["reason"]?.stringValue == reason
        return ["type": .string(type), "status": .string(status), "reason": .string(reason),
                "message": .string(message),
                "lastUpdateTime": sameReason ? (old?["lastUpdateTime"] ?? .string(now)) : .string(now),
                "lastTransitionTime": sameStatus ? (old?["lastTransitionTime"] ?? .string(now)) : .string(now)]
    }
}
