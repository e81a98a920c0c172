import KlientHTTP
import KlientWire

/// Legacy discovery documents (APIVersions, APIGroupList, APIGroup,
/// APIResourceList) and /version. Aggregated discovery (apidiscovery.k8s.io
/// v2) is never served: clients asking for it get the legacy document with
/// `Content-Type: application/json` and fall back.
enum SimDiscovery {
    static var version: JSONValue {
        let v = KlientSimInfo.kubernetesVersion
        let parts = v.dropFirst().split(separator: ".")
        return ["major": .string(String(parts.first ?? "1")), "minor": .string(String(parts.count > 1 ? parts[1] : "0")),
                "gitVersion": .string(v), "gitCommit": "0000000000000000000000000000000000000000",
                "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.24.0",
                "compiler": "gc", "platform": "linux/amd64"]
    }

    static func apiVersions(_ request: HTTPServerRequest) -> JSONValue {
        let host = request.headers["Host"] ?? "127.0.0.1"
        return ["kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(host)]]]
    }

    private static func groupObject(_ name: String, _ registry: ResourceRegistry) -> JSONValue {
        let versions = registry.groupVersions.filter { $0.group == name }.map { gv -> JSONValue in
            ["groupVersion": .string("\(name)/\(gv.version)"), "version": .string(gv.version)]
        }
        return ["name": .string(name), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
    }

    static func groupList(_ registry: ResourceRegistry) -> JSONValue {
        var names: [String] = []
        for gv in registry.groupVersions where !gv.group.isEmpty && !names.contains(gv.group) { names.append(gv.group) }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(names.map { groupObject($0, registry) })]
    }

    static func group(_ name: String, _ registry: ResourceRegistry) -> JSONValue? {
        guard registry.groupVersions.contains(where: { $0.group == name }) else { return nil }
        var g = groupObject(name, registry)
        g["kind"] = "APIGroup"
        g["apiVersion"] = "v1"
        return g
    }

    static let mainVerbs: JSONValue = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    static func resourceList(group: String, version: String, _ registry: ResourceRegistry) -> JSONValue? {
        let types = registry.types(group: group, version: version)
        guard !types.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for t in types {
            var r: JSONValue = ["name": .string(t.name), "singularName": .string(t.singularName),
                                "namespaced": .bool(t.namespaced), "kind": .string(t.kind), "verbs": mainVerbs]
            if !t.shortNames.isEmpty { r["shortNames"] = .array(t.shortNames.map(JSONValue.string)) }
            if !t.categories.isEmpty { r["categories"] = .array(t.categories.map(JSONValue.string)) }
            resources.append(r)
            for sub in t.subresources {
                var s: JSONValue = ["name": .string("\(t.name)/\(sub)"), "singularName": "", "namespaced": .bool(t.namespaced),
                                    "kind": .string(t.kind)]
                switch sub {
                case "status": s["verbs"] = ["get", "patch", "update"]
                case "scale":
                    s["verbs"] = ["get", "patch", "update"]
                    s["kind"] = "Scale"
                    s["group"] = "autoscaling"
                    s["version"] = "v1"
                case "exec", "attach", "portforward":
                    s["verbs"] = ["create", "get"]
                    s["kind"] = .string(sub == "portforward" ? "PodPortForwardOptions" : sub == "exec" ? "PodExecOptions" : "PodAttachOptions")
                case "log":
                    s["verbs"] = ["get"]
                case "finalize":
                    s["verbs"] = ["update"]
                default: s["verbs"] = ["get"]
                }
                resources.append(s)
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
                "resources": .array(resources)]
    }
}
