/// The resource types a store holds and the API serves, looked up by
/// group/version/plural name or by apiVersion/kind.
public struct ResourceRegistry: Sendable {
    public private(set) var types: [ResourceType]

    public init(types: [ResourceType]) { self.types = types }

    /// Adds a type (replacing one with the same group, version and name).
    public mutating func register(_ type: ResourceType) {
        types.removeAll { $0.group == type.group && $0.version == type.version && $0.name == type.name }
        types.append(type)
    }

    public func lookup(group: String, version: String, name: String) -> ResourceType? {
        types.first { $0.group == group && $0.version == version && $0.name == name }
    }

    /// The type of `kind` in `apiVersion` (`v1`, `apps/v1`).
    public func lookup(apiVersion: String, kind: String) -> ResourceType? {
        types.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// Group versions in discovery order, e.g. `[("", "v1"), ("apps", "v1")]`.
    public var groupVersions: [(group: String, version: String)] {
        var seen: Set<String> = []
        var out: [(String, String)] = []
        for t in types where seen.insert(t.apiVersion).inserted { out.append((t.group, t.version)) }
        return out
    }

    public func types(group: String, version: String) -> [ResourceType] {
        types.filter { $0.group == group && $0.version == version }
    }

    /// core/v1 (namespaces, pods, services, endpoints, configmaps, secrets,
    /// serviceaccounts, events, nodes), apps/v1 (deployments, replicasets,
    /// statefulsets, daemonsets), batch/v1 jobs.
    public static let standard = ResourceRegistry(types: [
        ResourceType(group: "", version: "v1", name: "namespaces", singularName: "namespace", kind: "Namespace",
                     namespaced: false, shortNames: ["ns"], subresources: ["status", "finalize"]),
        ResourceType(group: "", version: "v1", name: "pods", singularName: "pod", kind: "Pod", namespaced: true,
                     shortNames: ["po"], subresources: ["status", "exec", "attach", "portforward", "log"],
                     categories: ["all"]),
        ResourceType(group: "", version: "v1", name: "services", singularName: "service", kind: "Service",
                     namespaced: true, shortNames: ["svc"], subresources: ["status"], categories: ["all"]),
        ResourceType(group: "", version: "v1", name: "endpoints", singularName: "endpoints", kind: "Endpoints",
                     namespaced: true, shortNames: ["ep"]),
        ResourceType(group: "", version: "v1", name: "configmaps", singularName: "configmap", kind: "ConfigMap",
                     namespaced: true, shortNames: ["cm"]),
        ResourceType(group: "", version: "v1", name: "secrets", singularName: "secret", kind: "Secret", namespaced: true),
        ResourceType(group: "", version: "v1", name: "serviceaccounts", singularName: "serviceaccount",
                     kind: "ServiceAccount", namespaced: true, shortNames: ["sa"]),
        ResourceType(group: "", version: "v1", name: "events", singularName: "event", kind: "Event",
                     namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "", version: "v1", name: "nodes", singularName: "node", kind: "Node", namespaced: false,
                     shortNames: ["no"], subresources: ["status"]),
        ResourceType(group: "apps", version: "v1", name: "deployments", singularName: "deployment", kind: "Deployment",
                     namespaced: true, shortNames: ["deploy"], subresources: ["status", "scale"], categories: ["all"]),
        ResourceType(group: "apps", version: "v1", name: "replicasets", singularName: "replicaset", kind: "ReplicaSet",
                     namespaced: true, shortNames: ["rs"], subresources: ["status", "scale"], categories: ["all"]),
        ResourceType(group: "apps", version: "v1", name: "statefulsets", singularName: "statefulset",
                     kind: "StatefulSet", namespaced: true, shortNames: ["sts"], subresources: ["status", "scale"],
                     categories: ["all"]),
        ResourceType(group: "apps", version: "v1", name: "daemonsets", singularName: "daemonset", kind: "DaemonSet",
                     namespaced: true, shortNames: ["ds"], subresources: ["status"], categories: ["all"]),
        ResourceType(group: "batch", version: "v1", name: "jobs", singularName: "job", kind: "Job", namespaced: true,
                     subresources: ["status"], categories: ["all"]),
    ])

    public static let namespaces = standard.lookup(group: "", version: "v1", name: "namespaces")!
    public static let pods = standard.lookup(group: "", version: "v1", name: "pods")!
    public static let services = standard.lookup(group: "", version: "v1", name: "services")!
    public static let endpoints = standard.lookup(group: "", version: "v1", name: "endpoints")!
    public static let nodes = standard.lookup(group: "", version: "v1", name: "nodes")!
    public static let events = standard.lookup(group: "", version: "v1", name: "events")!
    public static let deployments = standard.lookup(group: "apps", version: "v1", name: "deployments")!
    public static let replicaSets = standard.lookup(group: "apps", version: "v1", name: "replicasets")!
}
