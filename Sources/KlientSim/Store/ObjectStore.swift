import Foundation
import KlientWire
import Synchronization

/// Generic storage of Kubernetes objects as `JSONValue`, with one global
/// resourceVersion counter, server-set metadata (`uid`,
/// `creationTimestamp`, `generation`, `resourceVersion`), selectors,
/// pagination, owner-reference garbage collection and watches backed by a
/// bounded event history.
///
/// All operations are synchronous and non-blocking (one `Mutex`); they may be
/// called from any task. Every method that fails throws ``StoreError``.
/// Admission hooks run while the lock is held and must not call the store.
public final class ObjectStore: Sendable {
    public typealias AdmissionHook = @Sendable (_ operation: AdmissionOperation, _ object: inout JSONValue,
                                                _ old: JSONValue?) throws -> Void

    public let registry: ResourceRegistry
    /// How many events the watch history keeps; older resourceVersions get 410.
    public let historyLimit: Int

    struct Key: Hashable, Comparable {
        var namespace: String
        var name: String
        static func < (a: Key, b: Key) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
        var token: String { namespace + "/" + name }
    }

    struct HistoryEntry {
        var resourceVersion: UInt64
        var resource: ResourceType
        var type: WatchEvent.EventType
        var object: JSONValue
        var old: JSONValue?
    }

    struct Watcher {
        var resource: ResourceType
        var namespace: String?
        var options: WatchOptions
        var continuation: AsyncStream<WatchEvent>.Continuation
    }

    struct State {
        var resourceVersion: UInt64 = 0
        var objects: [ResourceType: [Key: JSONValue]] = [:]
        var history: [HistoryEntry] = []
        /// Highest resourceVersion no longer in `history`.
        var compactedThrough: UInt64 = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
        var hooks: [ResourceType: [AdmissionHook]] = [:]
        var nextClusterIP: UInt32 = 10
    }

    let state = Mutex(State())

    public init(registry: ResourceRegistry = .standard, historyLimit: Int = 10_000) {
        self.registry = registry
        self.historyLimit = max(1, historyLimit)
    }

    /// The resourceVersion of the last write.
    public var currentResourceVersion: UInt64 { state.withLock { $0.resourceVersion } }

    /// Runs `hook` on every create and update of `resource` before it is stored
    /// (after defaulting, before validation); throwing rejects the write.
    public func addAdmissionHook(for resource: ResourceType, _ hook: @escaping AdmissionHook) {
        state.withLock { $0.hooks[resource, default: []].append(hook) }
    }

    // MARK: Reads

    /// The object `name` (in `namespace` for namespaced types).
    /// - Throws: `.notFound`.
    public func get(_ resource: ResourceType, namespace: String?, name: String) throws -> JSONValue {
        let key = Key(namespace: resource.namespaced ? namespace ?? "" : "", name: name)
        guard let object = state.withLock({ $0.objects[resource]?[key] }) else {
            throw StoreError.notFound(resource: resource.qualifiedName, name: name)
        }
        return object
    }

    /// Objects of `resource` (in `namespace`, or all namespaces for nil),
    /// sorted by namespace and name, filtered and paged by `options`.
    /// - Throws: `.badRequest` for a malformed continue token.
    public func list(_ resource: ResourceType, namespace: String?, options: ListOptions = ListOptions()) throws -> ListResult {
        var start: Key?
        if let token = options.continueToken, !token.isEmpty {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                  let slash = text.firstIndex(of: "/") else {
                throw StoreError.badRequest("continue key is not valid: illegal base64 data")
            }
            start = Key(namespace: String(text[..<slash]), name: String(text[text.index(after: slash)...]))
        }
        let (all, rv) = state.withLock { state -> ([(Key, JSONValue)], UInt64) in
            let objects = state.objects[resource] ?? [:]
            var selected: [(Key, JSONValue)] = []
            for (key, object) in objects {
                if resource.namespaced, let namespace, key.namespace != namespace { continue }
                if let start, !(start < key) { continue }
                if !options.labelSelector.matches(object: object) || !options.fieldSelector.matches(object: object) { continue }
                selected.append((key, object))
            }
            return (selected, state.resourceVersion)
        }
        let sorted = all.sorted { $0.0 < $1.0 }
        var result = ListResult(items: sorted.map(\.1), resourceVersion: String(rv))
        if let limit = options.limit, limit > 0, sorted.count > limit {
            result.items = sorted.prefix(limit).map(\.1)
            let last = sorted[limit - 1].0
            result.continueToken = Data(last.token.utf8).base64EncodedString()
            result.remainingItemCount = sorted.count - limit
        }
        return result
    }

    // MARK: Writes

    /// Stores a new object. The name comes from `metadata.name`, or
    /// `metadata.generateName` plus five random characters. Sets `uid`,
    /// `creationTimestamp`, `generation` 1 and `resourceVersion`.
    /// - Parameter namespace: the namespace of the request (namespaced types).
    /// - Throws: `.badRequest` (not an object, wrong kind, namespace mismatch),
    ///   `.invalid` (name or required fields), `.notFound` (namespace missing),
    ///   `.alreadyExists`.
    @discardableResult
    public func create(_ resource: ResourceType, namespace: String?, object: JSONValue, dryRun: Bool = false) throws -> JSONValue {
        var object = try prepareIncoming(resource, object: object, namespace: namespace, name: nil)
        return try state.withLock { state in
            if object[path: ["metadata", "name"]]?.stringValue?.isEmpty ?? true,
               let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
                object[path: ["metadata", "name"]] = .string(prefix + SimClock.randomSuffix())
            }
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            let ns = resource.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue ?? "" : ""
            if resource.namespaced, !name.isEmpty {
                guard state.objects[ResourceRegistry.namespaces]?[Key(namespace: "", name: ns)] != nil else {
                    throw StoreError.notFound(resource: "namespaces", name: ns)
                }
            }
            Self.applyDefaults(resource, &object, old: nil, state: &state)
            for hook in state.hooks[resource] ?? [] { try hook(.create, &object, nil) }
            try StoreValidation.validate(resource, object)
            let key = Key(namespace: ns, name: name)
            if state.objects[resource]?[key] != nil {
                throw StoreError.alreadyExists(resource: resource.qualifiedName, name: name)
            }
            object[path: ["metadata", "uid"]] = .string(SimClock.uid())
            object[path: ["metadata", "creationTimestamp"]] = .string(SimClock.timestamp())
            object[path: ["metadata", "generation"]] = .int(1)
            if dryRun { return object }
            state.resourceVersion += 1
            object[path: ["metadata", "resourceVersion"]] = .string(String(state.resourceVersion))
            state.objects[resource, default: [:]][key] = object
            record(&state, .added, resource, object, old: nil)
            return object
        }
    }

    /// Replaces an object (PUT). `object`'s `metadata.resourceVersion`, when
    /// set, must equal the stored one. No-op writes keep the resourceVersion.
    /// `generation` grows when anything outside metadata and status changes.
    /// - Throws: `.notFound`, `.conflict` (stale resourceVersion or uid),
    ///   `.badRequest` (name mismatch), `.invalid`.
    @discardableResult
    public func update(_ resource: ResourceType, namespace: String?, name: String, object: JSONValue,
                       target: UpdateTarget = .main, dryRun: Bool = false) throws -> JSONValue {
        let incoming = try prepareIncoming(resource, object: object, namespace: namespace, name: name)
        return try state.withLock { state in
            try self.replace(&state, resource, namespace: namespace, name: name, incoming: incoming, target: target, dryRun: dryRun)
        }
    }

    /// Read-modify-write without a conflict window: `body` edits a copy of
    /// the current object under the store lock (it must not call the store),
    /// then the result is written as by ``update(_:namespace:name:object:target:dryRun:)``.
    /// If `body` sets a different non-empty resourceVersion the write fails
    /// with `.conflict` (a patch carrying a stale resourceVersion).
    @discardableResult
    public func modify(_ resource: ResourceType, namespace: String?, name: String, target: UpdateTarget = .main,
                       dryRun: Bool = false, _ body: (inout JSONValue) throws -> Void) throws -> JSONValue {
        try state.withLock { state in
            let key = Key(namespace: resource.namespaced ? namespace ?? "" : "", name: name)
            guard var object = state.objects[resource]?[key] else {
                throw StoreError.notFound(resource: resource.qualifiedName, name: name)
            }
            try body(&object)
            let incoming = try prepareIncoming(resource, object: object, namespace: namespace, name: name)
            return try self.replace(&state, resource, namespace: namespace, name: name, incoming: incoming,
                                    target: target, dryRun: dryRun)
        }
    }

    /// Writes only `status` (the `/status` subresource).
    @discardableResult
    public func updateStatus(_ resource: ResourceType, namespace: String?, name: String, object: JSONValue) throws -> JSONValue {
        try update(resource, namespace: namespace, name: name, object: object, target: .status)
    }

    /// Removes an object and returns its last state. Deleting a namespace
    /// removes everything in it; unless `propagation` is `.orphan`, objects
    /// whose ownerReferences name the deleted uid are removed too.
    /// - Throws: `.notFound`, `.conflict` (precondition failed).
    @discardableResult
    public func delete(_ resource: ResourceType, namespace: String?, name: String,
                       preconditions: DeletePreconditions = DeletePreconditions(),
                       propagation: DeletePropagation = .background, dryRun: Bool = false) throws -> JSONValue {
        try state.withLock { state in
            let key = Key(namespace: resource.namespaced ? namespace ?? "" : "", name: name)
            guard let object = state.objects[resource]?[key] else {
                throw StoreError.notFound(resource: resource.qualifiedName, name: name)
            }
            let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
            if let want = preconditions.uid, want != uid {
                throw StoreError.conflict(resource: resource.qualifiedName, name: name,
                                          message: "Precondition failed: UID in precondition: \(want), UID in object meta: \(uid)")
            }
            let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            if let want = preconditions.resourceVersion, want != rv {
                throw StoreError.conflict(resource: resource.qualifiedName, name: name,
                                          message: "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(rv)")
            }
            if dryRun { return object }
            return self.remove(&state, resource, key, propagation: propagation)
        }
    }

    /// Deletes every object `options` selects; returns them.
    public func deleteCollection(_ resource: ResourceType, namespace: String?, options: ListOptions = ListOptions(),
                                 propagation: DeletePropagation = .background, dryRun: Bool = false) throws -> [JSONValue] {
        let page = try list(resource, namespace: namespace, options: ListOptions(labelSelector: options.labelSelector,
                                                                                fieldSelector: options.fieldSelector))
        var deleted: [JSONValue] = []
        for item in page.items {
            let name = item[path: ["metadata", "name"]]?.stringValue ?? ""
            let ns = item[path: ["metadata", "namespace"]]?.stringValue
            if let gone = try? delete(resource, namespace: ns, name: name, propagation: propagation, dryRun: dryRun) {
                deleted.append(gone)
            }
        }
        return deleted
    }

    // MARK: Internals

    /// Checks the body's shape and fixes kind, apiVersion and namespace.
    private func prepareIncoming(_ resource: ResourceType, object: JSONValue, namespace: String?, name: String?) throws -> JSONValue {
        guard case .object = object else {
            throw StoreError.badRequest("the body of the request was not a JSON object")
        }
        var object = object
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != resource.kind {
            throw StoreError.badRequest("the kind \"\(kind)\" of the body does not match the resource \(resource.qualifiedName) (kind \(resource.kind))")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != resource.apiVersion {
            throw StoreError.badRequest("the apiVersion \"\(apiVersion)\" of the body does not match \(resource.apiVersion)")
        }
        object["kind"] = .string(resource.kind)
        object["apiVersion"] = .string(resource.apiVersion)
        if object["metadata"]?.objectValue == nil { object["metadata"] = .object([:]) }
        if resource.namespaced {
            let bodyNS = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            if let namespace, !namespace.isEmpty {
                if !bodyNS.isEmpty, bodyNS != namespace {
                    throw StoreError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
                }
                object[path: ["metadata", "namespace"]] = .string(namespace)
            } else if bodyNS.isEmpty {
                object[path: ["metadata", "namespace"]] = .string("default")
            }
        } else {
            object[path: ["metadata", "namespace"]] = nil
        }
        if let name {
            let bodyName = object[path: ["metadata", "name"]]?.stringValue ?? ""
            if bodyName.isEmpty {
                object[path: ["metadata", "name"]] = .string(name)
            } else if bodyName != name {
                throw StoreError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
        }
        return object
    }

    private func replace(_ state: inout State, _ resource: ResourceType, namespace: String?, name: String,
                         incoming: JSONValue, target: UpdateTarget, dryRun: Bool) throws -> JSONValue {
        let key = Key(namespace: resource.namespaced ? namespace ?? "" : "", name: name)
        guard let old = state.objects[resource]?[key] else {
            throw StoreError.notFound(resource: resource.qualifiedName, name: name)
        }
        let oldRV = old[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if let rv = incoming[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty, rv != oldRV {
            throw StoreError.conflict(resource: resource.qualifiedName, name: name,
                                      message: "the object has been modified; please apply your changes to the latest version and try again")
        }
        let oldUID = old[path: ["metadata", "uid"]]?.stringValue ?? ""
        if let uid = incoming[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty, uid != oldUID {
            throw StoreError.conflict(resource: resource.qualifiedName, name: name,
                                      message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(oldUID)")
        }
        var object: JSONValue
        switch target {
        case .status:
            object = old
            object["status"] = incoming["status"]
        case .main:
            object = incoming
            for field in ["uid", "creationTimestamp", "generation", "deletionTimestamp"] {
                object[path: ["metadata", field]] = old[path: ["metadata", field]]
            }
            if resource.hasStatusSubresource { object["status"] = old["status"] }
            Self.applyDefaults(resource, &object, old: old, state: &state)
            for hook in state.hooks[resource] ?? [] { try hook(.update, &object, old) }
            try StoreValidation.validate(resource, object)
            try StoreValidation.checkImmutable(resource, object, old: old)
        }
        object[path: ["metadata", "resourceVersion"]] = .string(oldRV)
        if object == old { return old }
        if target == .main, Self.specPart(object) != Self.specPart(old) {
            let generation = old[path: ["metadata", "generation"]]?.intValue ?? 1
            object[path: ["metadata", "generation"]] = .int(generation + 1)
        }
        if dryRun { return object }
        state.resourceVersion += 1
        object[path: ["metadata", "resourceVersion"]] = .string(String(state.resourceVersion))
        state.objects[resource, default: [:]][key] = object
        record(&state, .modified, resource, object, old: old)
        return object
    }

    /// Everything but metadata and status: what `generation` tracks.
    private static func specPart(_ object: JSONValue) -> JSONValue {
        var o = object
        o["metadata"] = nil
        o["status"] = nil
        return o
    }

    private func remove(_ state: inout State, _ resource: ResourceType, _ key: Key, propagation: DeletePropagation) -> JSONValue {
        guard var object = state.objects[resource]?.removeValue(forKey: key) else { return .null }
        state.resourceVersion += 1
        object[path: ["metadata", "resourceVersion"]] = .string(String(state.resourceVersion))
        record(&state, .deleted, resource, object, old: object)
        if resource == ResourceRegistry.namespaces {
            for type in registry.types where type.namespaced {
                for k in (state.objects[type] ?? [:]).keys.sorted() where k.namespace == key.name {
                    _ = remove(&state, type, k, propagation: .orphan)
                }
            }
        }
        let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
        guard !uid.isEmpty else { return object }
        for type in registry.types {
            for (k, dependent) in state.objects[type] ?? [:] {
                if resource.namespaced, k.namespace != key.namespace { continue }
                let owners = dependent[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
                guard owners.contains(where: { $0["uid"]?.stringValue == uid }) else { continue }
                if propagation == .orphan {
                    var orphan = dependent
                    let rest = owners.filter { $0["uid"]?.stringValue != uid }
                    orphan[path: ["metadata", "ownerReferences"]] = rest.isEmpty ? nil : .array(rest)
                    state.resourceVersion += 1
                    orphan[path: ["metadata", "resourceVersion"]] = .string(String(state.resourceVersion))
                    state.objects[type]?[k] = orphan
                    record(&state, .modified, type, orphan, old: dependent)
                } else {
                    _ = remove(&state, type, k, propagation: propagation)
                }
            }
        }
        return object
    }

    /// Server-side defaults, the subset clients look at.
    private static func applyDefaults(_ resource: ResourceType, _ object: inout JSONValue, old: JSONValue?, state: inout State) {
        func setIfMissing(_ path: [String], _ value: JSONValue) {
            if object[path: path] == nil { object[path: path] = value }
        }
        switch (resource.group, resource.name) {
        case ("", "namespaces"):
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            setIfMissing(["metadata", "labels", "kubernetes.io/metadata.name"], .string(name))
            setIfMissing(["spec", "finalizers"], ["kubernetes"])
            setIfMissing(["status", "phase"], "Active")
        case ("", "services"):
            setIfMissing(["spec", "type"], "ClusterIP")
            setIfMissing(["spec", "sessionAffinity"], "None")
            if object[path: ["spec", "clusterIP"]] == nil {
                if let ip = old?[path: ["spec", "clusterIP"]] {
                    object[path: ["spec", "clusterIP"]] = ip
                } else {
                    state.nextClusterIP += 1
                    let n = state.nextClusterIP
                    object[path: ["spec", "clusterIP"]] = .string("10.96.\((n >> 8) & 0xFF).\(n & 0xFF)")
                }
            }
            if object[path: ["spec", "clusterIPs"]] == nil, let ip = object[path: ["spec", "clusterIP"]] {
                object[path: ["spec", "clusterIPs"]] = [ip]
            }
            setIfMissing(["spec", "ipFamilies"], ["IPv4"])
            setIfMissing(["spec", "ipFamilyPolicy"], "SingleStack")
            setIfMissing(["spec", "internalTrafficPolicy"], "Cluster")
            if var ports = object[path: ["spec", "ports"]]?.arrayValue {
                for i in ports.indices {
                    if ports[i]["protocol"] == nil { ports[i]["protocol"] = "TCP" }
                    if ports[i]["targetPort"] == nil, let port = ports[i]["port"] { ports[i]["targetPort"] = port }
                }
                object[path: ["spec", "ports"]] = .array(ports)
            }
            setIfMissing(["status", "loadBalancer"], .object([:]))
        case ("", "pods"):
            setIfMissing(["spec", "restartPolicy"], "Always")
            setIfMissing(["spec", "dnsPolicy"], "ClusterFirst")
            setIfMissing(["spec", "schedulerName"], "default-scheduler")
            setIfMissing(["spec", "terminationGracePeriodSeconds"], 30)
            setIfMissing(["spec", "serviceAccountName"], "default")
            setIfMissing(["status", "phase"], "Pending")
            setIfMissing(["status", "qosClass"], "BestEffort")
        case ("", "secrets"):
            setIfMissing(["type"], "Opaque")
        case ("apps", "deployments"):
            setIfMissing(["spec", "replicas"], 1)
            setIfMissing(["spec", "revisionHistoryLimit"], 10)
            setIfMissing(["spec", "progressDeadlineSeconds"], 600)
            setIfMissing(["spec", "strategy"], ["type": "RollingUpdate",
                                                "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
        case ("apps", "replicasets"), ("apps", "statefulsets"):
            setIfMissing(["spec", "replicas"], 1)
        default:
            break
        }
    }

    // MARK: History and watch fan-out

    /// Appends to the history and hands the event to every matching watcher
    /// (under the lock, so each watcher sees events in resourceVersion order).
    private func record(_ state: inout State, _ type: WatchEvent.EventType, _ resource: ResourceType,
                        _ object: JSONValue, old: JSONValue?) {
        state.history.append(HistoryEntry(resourceVersion: state.resourceVersion, resource: resource, type: type,
                                          object: object, old: old))
        if state.history.count > historyLimit + historyLimit / 4 {
            let drop = state.history.count - historyLimit
            state.compactedThrough = state.history[drop - 1].resourceVersion
            state.history.removeFirst(drop)
        }
        for watcher in state.watchers.values where watcher.resource == resource {
            if let event = Self.event(for: watcher, type, object, old: old) { watcher.continuation.yield(event) }
        }
    }

    /// What a watcher with selectors sees of one change: objects moving out
    /// of the selection are DELETED for it, moving in are ADDED.
    static func event(for watcher: Watcher, _ type: WatchEvent.EventType, _ object: JSONValue, old: JSONValue?) -> WatchEvent? {
        if let ns = watcher.namespace, watcher.resource.namespaced,
           object[path: ["metadata", "namespace"]]?.stringValue != ns { return nil }
        func selected(_ o: JSONValue?) -> Bool {
            guard let o else { return false }
            return watcher.options.labelSelector.matches(object: o) && watcher.options.fieldSelector.matches(object: o)
        }
        switch type {
        case .added: return selected(object) ? WatchEvent(type: .added, object: object) : nil
        case .deleted: return selected(object) ? WatchEvent(type: .deleted, object: object) : nil
        case .modified:
            switch (selected(old), selected(object)) {
            case (true, true): return WatchEvent(type: .modified, object: object)
            case (false, true): return WatchEvent(type: .added, object: object)
            case (true, false): return WatchEvent(type: .deleted, object: object)
            case (false, false): return nil
            }
        default: return WatchEvent(type: type, object: object)
        }
    }
}
