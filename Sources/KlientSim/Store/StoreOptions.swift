import KlientWire

/// What to list: selectors and a page.
public struct ListOptions: Sendable {
    public var labelSelector: LabelSelector
    public var fieldSelector: FieldSelector
    /// Page size; nil or 0 for all.
    public var limit: Int?
    /// The `continue` token of the previous page.
    public var continueToken: String?

    public init(labelSelector: LabelSelector = LabelSelector(), fieldSelector: FieldSelector = FieldSelector(),
                limit: Int? = nil, continueToken: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
    }
}

/// One page of a list.
public struct ListResult: Sendable {
    public var items: [JSONValue]
    /// The store's resourceVersion when the list was taken.
    public var resourceVersion: String
    /// Set when more items follow; pass it back as ``ListOptions/continueToken``.
    public var continueToken: String?
    public var remainingItemCount: Int?

    /// The `<Kind>List` object the API returns.
    public func listObject(for type: ResourceType) -> JSONValue {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(resourceVersion)]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remainingItemCount)) }
        return .object(["kind": .string(type.kind + "List"), "apiVersion": .string(type.apiVersion),
                        "metadata": .object(metadata), "items": .array(items)])
    }
}

/// How to watch.
public struct WatchOptions: Sendable {
    public var labelSelector: LabelSelector
    public var fieldSelector: FieldSelector
    /// Start after this resourceVersion; nil, "" or "0" sends the current
    /// objects as ADDED first.
    public var resourceVersion: String?
    /// Send BOOKMARK events every ``bookmarkInterval``.
    public var allowBookmarks: Bool
    public var bookmarkInterval: Duration
    /// `sendInitialEvents=true` (watch-list): current objects as ADDED, then a
    /// BOOKMARK annotated `k8s.io/initial-events-end: "true"`.
    public var sendInitialEvents: Bool

    public init(labelSelector: LabelSelector = LabelSelector(), fieldSelector: FieldSelector = FieldSelector(),
                resourceVersion: String? = nil, allowBookmarks: Bool = false,
                bookmarkInterval: Duration = .seconds(30), sendInitialEvents: Bool = false) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowBookmarks = allowBookmarks
        self.bookmarkInterval = bookmarkInterval
        self.sendInitialEvents = sendInitialEvents
    }
}

/// What happens to objects owned by a deleted object (`propagationPolicy`).
public enum DeletePropagation: String, Sendable {
    /// Dependents are deleted too (the store does it at once).
    case background = "Background"
    case foreground = "Foreground"
    /// Dependents stay (their ownerReferences to it are removed).
    case orphan = "Orphan"
}

/// Preconditions of a delete (`DeleteOptions.preconditions`).
public struct DeletePreconditions: Sendable {
    public var uid: String?
    public var resourceVersion: String?
    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }
}

/// Which part of an object an update writes.
public enum UpdateTarget: Sendable {
    /// The object; `status` is kept when the type has a status subresource.
    case main
    /// Only `status` (the `/status` subresource).
    case status
}

/// A write the admission hooks see.
public enum AdmissionOperation: Sendable {
    case create
    case update
}
