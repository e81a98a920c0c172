/// A request path resolved against the registry.
enum SimRoute: Equatable {
    struct Target: Equatable {
        var type: ResourceType
        var namespace: String?
        var name: String?
        var subresource: String?
        /// The legacy `/watch/` path prefix was used.
        var legacyWatch: Bool
    }

    case coreVersions
    case groupList
    case group(String)
    case resourceList(group: String, version: String)
    case resource(Target)
    case notFound

    init(segments: [String], registry: ResourceRegistry) {
        var rest = segments[...]
        let group: String, version: String
        switch rest.first {
        case "api"?:
            rest = rest.dropFirst()
            guard let v = rest.first else { self = .coreVersions; return }
            group = ""
            version = v
            rest = rest.dropFirst()
        case "apis"?:
            rest = rest.dropFirst()
            guard let g = rest.first else { self = .groupList; return }
            rest = rest.dropFirst()
            guard let v = rest.first else { self = .group(g); return }
            group = g
            version = v
            rest = rest.dropFirst()
        default:
            self = .notFound
            return
        }
        guard !rest.isEmpty else {
            self = registry.types(group: group, version: version).isEmpty ? .notFound : .resourceList(group: group, version: version)
            return
        }
        var legacyWatch = false
        if rest.first == "watch" {
            legacyWatch = true
            rest = rest.dropFirst()
        }
        var namespace: String?
        if rest.first == "namespaces", rest.count >= 3,
           let t = registry.lookup(group: group, version: version, name: rest[rest.startIndex + 2]), t.namespaced {
            namespace = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        guard let resourceName = rest.first, rest.count <= 3,
              let type = registry.lookup(group: group, version: version, name: resourceName) else {
            self = .notFound
            return
        }
        let name = rest.count > 1 ? rest[rest.startIndex + 1] : nil
        let sub = rest.count > 2 ? rest[rest.startIndex + 2] : nil
        if name != nil && type.namespaced && namespace == nil { self = .notFound; return }
        if let sub, !type.subresources.contains(sub) { self = .notFound; return }
        self = .resource(Target(type: type, namespace: namespace, name: name, subresource: sub, legacyWatch: legacyWatch))
    }
}
