import KlientWire

/// Strategic merge patch as `kubectl apply` and `kubectl patch` send it,
/// for the built-in types: like a JSON merge patch, except that lists with a
/// merge key (containers by `name`, container ports by `containerPort`,
/// service ports by `port`, volumeMounts by `mountPath`, ...) merge element
/// by element, and the directives `$patch` (replace/delete/merge),
/// `$retainKeys`, `$setElementOrder/<field>` and
/// `$deleteFromPrimitiveList/<field>` are honoured.
public enum StrategicMergePatch {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Deepest nesting accepted.
    public static let maxDepth = 64

    /// Applies `patch` (a JSON object) to `original`.
    /// - Throws: ``Failure`` for a non-object patch, an unknown `$patch`
    ///   value, or nesting deeper than ``maxDepth``.
    public static func apply(_ patch: JSONValue, to original: JSONValue) throws -> JSONValue {
        guard case .object(let p) = patch else { throw Failure(description: "a strategic merge patch must be a JSON object") }
        return try mergeMap(original.objectValue ?? [:], p, depth: 0).map(JSONValue.object) ?? .object([:])
    }

    /// The merge key of list `field`, judged by the elements (ports differ
    /// between containers and services); nil for lists that are replaced.
    static func mergeKey(_ field: String, _ elements: [JSONValue]) -> String? {
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets",
             "resourceClaims", "schedulingGates":
            return "name"
        case "volumeMounts": return "mountPath"
        case "volumeDevices": return "devicePath"
        case "hostAliases": return "ip"
        case "conditions": return "type"
        case "ownerReferences": return "uid"
        case "topologySpreadConstraints": return "topologyKey"
        case "readinessGates": return "conditionType"
        case "ports":
            return elements.contains { $0["containerPort"] != nil } ? "containerPort" : "port"
        default: return nil
        }
    }

    /// Lists of scalars merged as sets.
    static let primitiveMergeLists: Set<String> = ["finalizers"]

    private static func strip(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (k, v) in o where !k.hasPrefix("$") { out[k] = strip(v) }
            return .object(out)
        case .array(let a):
            return .array(a.filter { $0["$patch"] == nil }.map(strip))
        default:
            return value
        }
    }

    /// Returns nil when the map is deleted (`$patch: delete`).
    static func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue], depth: Int) throws -> [String: JSONValue]? {
        guard depth < maxDepth else { throw Failure(description: "patch nested deeper than \(maxDepth) levels") }
        switch patch["$patch"]?.stringValue {
        case "delete"?: return nil
        case "replace"?: return strip(.object(patch)).objectValue ?? [:]
        case nil, "merge"?: break
        case let other?: throw Failure(description: "unknown patch type \"\(other)\" in $patch")
        }
        var result = original
        var orders: [String: [JSONValue]] = [:]
        var deletions: [String: [JSONValue]] = [:]
        for (key, value) in patch {
            if key.hasPrefix("$setElementOrder/") {
                orders[String(key.dropFirst("$setElementOrder/".count))] = value.arrayValue ?? []
                continue
            }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                deletions[String(key.dropFirst("$deleteFromPrimitiveList/".count))] = value.arrayValue ?? []
                continue
            }
            if key.hasPrefix("$") { continue }
            switch value {
            case .null:
                result[key] = nil
            case .object(let p):
                if let merged = try mergeMap(result[key]?.objectValue ?? [:], p, depth: depth + 1) {
                    result[key] = .object(merged)
                } else {
                    result[key] = nil
                }
            case .array(let p):
                result[key] = try mergeList(key, result[key]?.arrayValue, p, depth: depth + 1)
            default:
                result[key] = value
            }
        }
        for (field, values) in deletions {
            if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !values.contains($0) }) }
        }
        for (field, order) in orders {
            guard let list = result[field]?.arrayValue else { continue }
            let key = mergeKey(field, list)
            func identity(_ v: JSONValue) -> JSONValue { key.flatMap { v[$0] } ?? v }
            let wanted = order.map(identity)
            let ordered = list.enumerated().sorted { a, b in
                let ia = wanted.firstIndex(of: identity(a.element)) ?? Int.max
                let ib = wanted.firstIndex(of: identity(b.element)) ?? Int.max
                return ia == ib ? a.offset < b.offset : ia < ib
            }
            result[field] = .array(ordered.map(\.element))
        }
        if let retain = patch["$retainKeys"]?.arrayValue {
            let keep = Set(retain.compactMap(\.stringValue))
            for key in result.keys where !keep.contains(key) && patch[key] == nil { result[key] = nil }
        }
        return result
    }

    static func mergeList(_ field: String, _ original: [JSONValue]?, _ patch: [JSONValue], depth: Int) throws -> JSONValue {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return strip(.array(patch))
        }
        if primitiveMergeLists.contains(field) {
            var out = original ?? []
            for v in patch where !out.contains(v) { out.append(v) }
            return .array(out)
        }
        guard let key = mergeKey(field, patch + (original ?? [])),
              patch.allSatisfy({ if case .object = $0 { return true } else { return false } }) else {
            return strip(.array(patch))
        }
        var out = original ?? []
        for element in patch {
            guard case .object(let p) = element else { continue }
            let id = p[key]
            let index = id.flatMap { id in out.firstIndex { $0[key] == id } }
            if p["$patch"]?.stringValue == "delete" {
                if let index { out.remove(at: index) }
                continue
            }
            if let index {
                if let merged = try mergeMap(out[index].objectValue ?? [:], p, depth: depth + 1) {
                    out[index] = .object(merged)
                } else {
                    out.remove(at: index)
                }
            } else {
                out.append(strip(element))
            }
        }
        return .array(out)
    }
}
