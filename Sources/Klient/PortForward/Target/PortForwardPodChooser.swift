/// Which pod a port-forward uses among a target's pods.
///
/// A pod qualifies when it is Running, its `Ready` condition is `True` and it
/// is not being deleted. The current pod is kept while it qualifies (no
/// flapping between replicas); otherwise the longest-ready pod is chosen
/// (ties by name), like kubectl's preference for stable pods.
public enum PortForwardPodChooser {
    public static func isReady(_ pod: Pod) -> Bool {
        guard pod.metadata.deletionTimestamp == nil, pod.status?.phase == "Running" else { return false }
        return pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
    }

    /// The pod to use, or nil when none is ready.
    /// - Parameter current: the name of the pod in use now, kept if still ready.
    public static func choose(_ pods: [Pod], current: String? = nil) -> Pod? {
        let ready = pods.filter(isReady)
        if let current, let kept = ready.first(where: { $0.metadata.name == current }) { return kept }
        return ready.min { a, b in
            let (ta, tb) = (readySince(a), readySince(b))
            if ta != tb { return (ta ?? .max) < (tb ?? .max) }
            return (a.metadata.name ?? "") < (b.metadata.name ?? "")
        }
    }

    /// Seconds since the epoch at which the pod became ready (nil if unknown).
    static func readySince(_ pod: Pod) -> Int64? {
        guard let condition = pod.status?.conditions?.first(where: { $0.type == "Ready" }) else { return nil }
        return (condition.lastTransitionTime ?? pod.metadata.creationTimestamp).map { Int64($0.date.timeIntervalSince1970) }
    }

    /// Why no pod qualifies, for the forward's state: `2 pods, none ready (web-1: Pending)`.
    public static func explainNoneReady(_ pods: [Pod]) -> String {
        if pods.isEmpty { return "no pods match" }
        let details = pods.prefix(3).map { pod -> String in
            let name = pod.metadata.name ?? "?"
            if pod.metadata.deletionTimestamp != nil { return "\(name): terminating" }
            let phase = pod.status?.phase ?? "Unknown"
            return phase == "Running" ? "\(name): not ready" : "\(name): \(phase)"
        }
        return "\(pods.count) pod\(pods.count == 1 ? "" : "s"), none ready (\(details.joined(separator: ", ")))"
    }
}
