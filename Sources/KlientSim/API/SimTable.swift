import Foundation
import KlientWire

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`):
/// the columns `kubectl get` shows for pods, deployments, replicasets,
/// services, namespaces and nodes; Name and Age for everything else.
enum SimTable {
    struct Column {
        var name: String
        var type: String = "string"
        var format: String = ""
        var priority: Int = 0
        var cell: (JSONValue) -> JSONValue
    }

    static func table(for value: JSONValue, type: ResourceType, includeObject: String) -> JSONValue {
        let items: [JSONValue]
        var metadata: JSONValue = .object([:])
        if let list = value["items"]?.arrayValue {
            items = list
            metadata = value["metadata"] ?? .object([:])
        } else {
            items = [value]
            metadata["resourceVersion"] = value[path: ["metadata", "resourceVersion"]]
        }
        let cols = columns(type)
        let rows: [JSONValue] = items.map { item in
            var row: JSONValue = ["cells": .array(cols.map { $0.cell(item) })]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = item
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                 "metadata": item["metadata"] ?? .object([:])]
            }
            return row
        }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
                "columnDefinitions": .array(cols.map {
                    ["name": .string($0.name), "type": .string($0.type), "format": .string($0.format),
                     "description": .string($0.name), "priority": .int(Int64($0.priority))]
                }),
                "rows": .array(rows)]
    }

    static func str(_ v: JSONValue?) -> JSONValue { .string(v?.stringValue ?? "<none>") }
    static func int(_ v: JSONValue?) -> JSONValue { .int(v?.intValue ?? 0) }

    static func columns(_ type: ResourceType) -> [Column] {
        let name = Column(name: "Name", format: "name") { $0[path: ["metadata", "name"]] ?? "" }
        let ageColumn = Column(name: "Age") { .string(SimTable.age($0[path: ["metadata", "creationTimestamp"]]?.stringValue)) }
        switch (type.group, type.name) {
        case ("", "pods"):
            return [name,
                    Column(name: "Ready") { pod in
                        let total = pod[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
                        let ready = (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).filter { $0["ready"] == true }.count
                        return .string("\(ready)/\(total)")
                    },
                    Column(name: "Status") { pod in
                        if pod[path: ["metadata", "deletionTimestamp"]] != nil { return "Terminating" }
                        for s in pod[path: ["status", "containerStatuses"]]?.arrayValue ?? [] {
                            if let r = s[path: ["state", "waiting", "reason"]]?.stringValue { return .string(r) }
                            if let r = s[path: ["state", "terminated", "reason"]]?.stringValue { return .string(r) }
                        }
                        return .string(pod[path: ["status", "phase"]]?.stringValue ?? "Pending")
                    },
                    Column(name: "Restarts", type: "string") { pod in
                        let n = (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }
                        return .string(String(n))
                    },
                    ageColumn,
                    Column(name: "IP", priority: 1) { str($0[path: ["status", "podIP"]]) },
                    Column(name: "Node", priority: 1) { str($0[path: ["spec", "nodeName"]]) }]
        case ("apps", "deployments"):
            return [name,
                    Column(name: "Ready") { d in
                        .string("\(d[path: ["status", "readyReplicas"]]?.intValue ?? 0)/\(d[path: ["spec", "replicas"]]?.intValue ?? 0)")
                    },
                    Column(name: "Up-to-date", type: "integer") { int($0[path: ["status", "updatedReplicas"]]) },
                    Column(name: "Available", type: "integer") { int($0[path: ["status", "availableReplicas"]]) },
                    ageColumn]
        case ("apps", "replicasets"), ("apps", "statefulsets"):
            return [name,
                    Column(name: "Desired", type: "integer") { int($0[path: ["spec", "replicas"]]) },
                    Column(name: "Current", type: "integer") { int($0[path: ["status", "replicas"]]) },
                    Column(name: "Ready", type: "integer") { int($0[path: ["status", "readyReplicas"]]) },
                    ageColumn]
        case ("", "services"):
            return [name,
                    Column(name: "Type") { str($0[path: ["spec", "type"]]) },
                    Column(name: "Cluster-IP") { str($0[path: ["spec", "clusterIP"]]) },
                    Column(name: "External-IP") { _ in "<none>" },
                    Column(name: "Port(s)") { s in
                        let ports = (s[path: ["spec", "ports"]]?.arrayValue ?? []).map {
                            "\($0["port"]?.intValue ?? 0)/\($0["protocol"]?.stringValue ?? "TCP")"
                        }
                        return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
                    },
                    ageColumn]
        case ("", "namespaces"):
            return [name, Column(name: "Status") { str($0[path: ["status", "phase"]]) }, ageColumn]
        case ("", "nodes"):
            return [name,
                    Column(name: "Status") { n in
                        let ready = (n[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"] == "Ready" }
                        return ready?["status"] == "True" ? "Ready" : "NotReady"
                    },
                    Column(name: "Roles") { _ in "<none>" },
                    ageColumn,
                    Column(name: "Version") { str($0[path: ["status", "nodeInfo", "kubeletVersion"]]) }]
        default:
            return [name, ageColumn]
        }
    }

    /// kubectl's short human duration ("45s", "3m12s", "5h", "3d").
    static func age(_ timestamp: String?) -> String {
        guard let timestamp, let date = SimClock.parse(timestamp) else { return "<unknown>" }
        let s = max(0, Int(Date().timeIntervalSince(date)))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        let d = h / 24
        if d < 8 { return h % 24 == 0 ? "\(d)d" : "\(d)d\(h % 24)h" }
        if d < 730 { return "\(d)d" }
        return "\(d / 365)y"
    }
}
