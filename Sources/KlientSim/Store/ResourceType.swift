/// One kind of stored object as the API serves it: group, version, plural
/// resource name, kind, and whether it lives in a namespace.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// API group; empty for the core group (`/api/v1`).
    public var group: String
    public var version: String
    /// Plural lower-case name used in paths (`pods`, `deployments`).
    public var name: String
    public var singularName: String
    public var kind: String
    public var namespaced: Bool
    public var shortNames: [String]
    /// Subresources the store serves itself (`status`); streaming ones (`exec`,
    /// `log`, ...) are listed for discovery only.
    public var subresources: [String]
    public var categories: [String]

    public init(group: String, version: String, name: String, singularName: String, kind: String,
                namespaced: Bool, shortNames: [String] = [], subresources: [String] = [],
                categories: [String] = []) {
        self.group = group
        self.version = version
        self.name = name
        self.singularName = singularName
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.subresources = subresources
        self.categories = categories
    }

    /// `v1` or `apps/v1`, as written in an object's `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `pods` or `deployments.apps`, as used in error messages.
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }
    /// Whether writes to the main resource keep the stored `status`.
    public var hasStatusSubresource: Bool { subresources.contains("status") }
    public var description: String { "\(apiVersion) \(name)" }
}
