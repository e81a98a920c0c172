import KlientWire

extension RuntimePod {
    private struct WrongPod: Error {}

    /// Writes the pod's status through the status subresource (a new
    /// resourceVersion, MODIFIED for watchers). Runs under the pod's lock so
    /// concurrent container changes are written in order; a pod that is gone
    /// or was replaced by a namesake (different uid) is left alone.
    func publish() {
        state.withLock { state in
            guard !state.stopping else { return }
            let status = buildStatus(&state)
            _ = try? store.modify(ResourceRegistry.pods, namespace: namespace, name: name, target: .status) { object in
                guard object[path: ["metadata", "uid"]]?.stringValue == uid else { throw WrongPod() }
                var merged = object["status"] ?? .object([:])
                for (key, value) in status.objectValue ?? [:] { merged[key] = value }
                object["status"] = merged
            }
        }
    }

    private func buildStatus(_ state: inout State) -> JSONValue {
        let statuses = state.slots.map(\.status)
        let allDone = !statuses.isEmpty && statuses.allSatisfy(\.isTerminated)
        var phase = "Running"
        if allDone {
            let failed = statuses.contains { s in
                if case .terminated(let t) = s.state { return t.exitCode != 0 }
                return false
            }
            phase = failed ? "Failed" : "Succeeded"
        }
        let ready = phase == "Running" && statuses.allSatisfy(\.isRunning)
        let now = LogTimestamp.now()
        func condition(_ type: String, _ value: Bool, reason: String? = nil) -> JSONValue {
            var entry = state.conditionTimes[type]
            if entry == nil || entry!.status != value {
                entry = (value, now)
                state.conditionTimes[type] = entry
            }
            var c: JSONValue = ["type": .string(type), "status": .string(value ? "True" : "False"),
                                "lastProbeTime": .null, "lastTransitionTime": .string(entry!.time.rfc3339)]
            if !value, let reason {
                c["reason"] = .string(reason)
                let waiting = statuses.filter { !$0.isRunning }.map(\.name)
                c["message"] = .string("containers with unready status: [\(waiting.joined(separator: " "))]")
            }
            return c
        }
        let notReadyReason = allDone ? "PodCompleted" : "ContainersNotReady"
        let conditions: [JSONValue] = [
            condition("PodReadyToStartContainers", true),
            condition("Initialized", true),
            condition("Ready", ready, reason: notReadyReason),
            condition("ContainersReady", ready, reason: notReadyReason),
            condition("PodScheduled", true),
        ]
        return [
            "phase": .string(phase),
            "conditions": .array(conditions),
            "hostIP": "127.0.0.1",
            "hostIPs": [["ip": "127.0.0.1"]],
            "podIP": .string(podIP),
            "podIPs": [["ip": .string(podIP)]],
            "startTime": .string(state.startTime.rfc3339),
            "containerStatuses": .array(statuses.map(\.json)),
        ]
    }
}
