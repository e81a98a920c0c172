import KlientWire

/// The validation the API server does that clients notice (422 Invalid):
/// names, required pod and deployment fields, selector/template agreement.
enum StoreValidation {
    static let maxNameLength = 253

    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= maxNameLength else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0), max: 63) }
    }

    static func isDNSLabel(_ s: String, max: Int = 63) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= max else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        return alnum(bytes.first!) && alnum(bytes.last!) && bytes.allSatisfy { alnum($0) || $0 == 0x2D }
    }

    static func validate(_ resource: ResourceType, _ object: JSONValue) throws {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        var causes: [StoreError.FieldCause] = []
        if name.isEmpty {
            causes.append(.init(reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required"))
        } else {
            let ok = (resource.name == "namespaces" || resource.name == "services") ? isDNSLabel(name) : isDNSSubdomain(name)
            if !ok {
                causes.append(.init(field: "metadata.name", message: "Invalid value: \"\(name)\": a lowercase RFC 1123 \(resource.name == "namespaces" || resource.name == "services" ? "label" : "subdomain") must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"))
            }
        }
        switch (resource.group, resource.name) {
        case ("", "pods"):
            causes += podSpecCauses(object["spec"], prefix: "spec")
        case ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"):
            guard let selector = object[path: ["spec", "selector"]], case .object = selector else {
                causes.append(.init(reason: "FieldValueRequired", field: "spec.selector", message: "Required value"))
                break
            }
            let labels = (object[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            if let sel = try? LabelSelector(object: selector), !sel.matches(labels) {
                causes.append(.init(field: "spec.template.metadata.labels",
                                    message: "Invalid value: \(JSONValue.object(labels.mapValues { .string($0) }).jsonString): `selector` does not match template `labels`"))
            }
            causes += podSpecCauses(object[path: ["spec", "template", "spec"]], prefix: "spec.template.spec")
        case ("", "services"):
            for (i, port) in (object[path: ["spec", "ports"]]?.arrayValue ?? []).enumerated() {
                let p = port["port"]?.intValue ?? 0
                if p < 1 || p > 65535 {
                    causes.append(.init(field: "spec.ports[\(i)].port", message: "Invalid value: \(p): must be between 1 and 65535, inclusive"))
                }
            }
        default:
            break
        }
        if !causes.isEmpty { throw StoreError.invalid(kind: resource.kind, name: name, causes: causes) }
    }

    static func podSpecCauses(_ spec: JSONValue?, prefix: String) -> [StoreError.FieldCause] {
        let containers = spec?["containers"]?.arrayValue ?? []
        if containers.isEmpty {
            return [.init(reason: "FieldValueRequired", field: "\(prefix).containers", message: "Required value")]
        }
        var causes: [StoreError.FieldCause] = []
        var names: Set<String> = []
        for (i, c) in containers.enumerated() {
            let n = c["name"]?.stringValue ?? ""
            if n.isEmpty {
                causes.append(.init(reason: "FieldValueRequired", field: "\(prefix).containers[\(i)].name", message: "Required value"))
            } else if !names.insert(n).inserted {
                causes.append(.init(reason: "FieldValueDuplicate", field: "\(prefix).containers[\(i)].name", message: "Duplicate value: \"\(n)\""))
            }
            if (c["image"]?.stringValue ?? "").isEmpty {
                causes.append(.init(reason: "FieldValueRequired", field: "\(prefix).containers[\(i)].image", message: "Required value"))
            }
        }
        return causes
    }

    /// Fields that may not change after creation.
    static func checkImmutable(_ resource: ResourceType, _ object: JSONValue, old: JSONValue) throws {
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if resource.group == "apps", ["deployments", "replicasets", "statefulsets", "daemonsets"].contains(resource.name),
           let before = old[path: ["spec", "selector"]], object[path: ["spec", "selector"]] != before {
            throw StoreError.invalid(kind: resource.kind, name: name, causes: [.init(
                field: "spec.selector", message: "Invalid value: \(object[path: ["spec", "selector"]]?.jsonString ?? "null"): field is immutable")])
        }
    }
}
