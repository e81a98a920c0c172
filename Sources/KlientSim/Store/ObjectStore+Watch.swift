import KlientWire

extension ObjectStore {
    /// Watches `resource` (in `namespace`, or everywhere for nil).
    ///
    /// With no resourceVersion (nil, "" or "0") the current objects come first
    /// as ADDED. With a resourceVersion, every change after it is replayed
    /// from the history; if the history no longer reaches back that far the
    /// stream yields one ERROR event carrying a 410 `Expired` Status and
    /// finishes (as the API server does inside a 200 response). Bookmarks
    /// come every `bookmarkInterval` when allowed. Cancel by dropping the
    /// iterator (the stream's termination unregisters the watcher).
    /// - Throws: `.badRequest` for a resourceVersion that is not a number.
    public func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions = WatchOptions()) throws
        -> AsyncStream<WatchEvent> {
        var from: UInt64?
        if let rv = options.resourceVersion, !rv.isEmpty, rv != "0" {
            guard let n = UInt64(rv) else {
                throw StoreError.badRequest("invalid resource version \"\(rv)\": must be a decimal number")
            }
            from = n
        }
        let (stream, continuation) = AsyncStream<WatchEvent>.makeStream()
        let id: Int? = state.withLock { state in
            if let from, from < state.compactedThrough {
                continuation.yield(WatchEvent(type: .error, object: Self.expiredStatus(
                    "too old resource version: \(from) (\(state.compactedThrough + 1))")))
                continuation.finish()
                return nil
            }
            let watcher = Watcher(resource: resource, namespace: namespace, options: options, continuation: continuation)
            if from == nil || options.sendInitialEvents {
                let objects = state.objects[resource] ?? [:]
                for key in objects.keys.sorted() {
                    if let event = Self.event(for: watcher, .added, objects[key]!, old: nil) { continuation.yield(event) }
                }
                if options.sendInitialEvents && options.allowBookmarks {
                    continuation.yield(WatchEvent(type: .bookmark, object: Self.bookmark(resource, state.resourceVersion,
                                                                                          initialEventsEnd: true)))
                }
            } else if let from {
                for entry in state.history where entry.resourceVersion > from && entry.resource == resource {
                    if let event = Self.event(for: watcher, entry.type, entry.object, old: entry.old) {
                        continuation.yield(event)
                    }
                }
            }
            state.nextWatcherID += 1
            state.watchers[state.nextWatcherID] = watcher
            return state.nextWatcherID
        }
        guard let id else { return stream }
        let ticker: Task<Void, Never>?
        if options.allowBookmarks {
            let interval = options.bookmarkInterval
            ticker = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    self.sendBookmark(to: id)
                }
            }
        } else {
            ticker = nil
        }
        continuation.onTermination = { [weak self] _ in
            ticker?.cancel()
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Number of open watches (tests, status output).
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Ends every open watch stream (the fault "drop streaming connections"
    /// closes the connections; this ends watches of in-process users).
    public func finishAllWatches() {
        let all = state.withLock { state in
            defer { state.watchers.removeAll() }
            return state.watchers.values.map(\.continuation)
        }
        for c in all { c.finish() }
    }

    private func sendBookmark(to id: Int) {
        state.withLock { state in
            guard let watcher = state.watchers[id] else { return }
            watcher.continuation.yield(WatchEvent(type: .bookmark, object: Self.bookmark(watcher.resource, state.resourceVersion,
                                                                                         initialEventsEnd: false)))
        }
    }

    static func bookmark(_ resource: ResourceType, _ rv: UInt64, initialEventsEnd: Bool) -> JSONValue {
        var metadata: JSONValue = ["resourceVersion": .string(String(rv))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        return ["kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion), "metadata": metadata]
    }

    /// The Status of a 410 watch error (reason Expired, as etcd compaction reports it).
    public static func expiredStatus(_ message: String) -> JSONValue {
        ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
         "message": .string(message), "reason": "Expired", "code": 410]
    }
}
