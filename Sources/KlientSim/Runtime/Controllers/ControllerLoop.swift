import KlientWire
import Synchronization

/// A level-triggered control loop: watch events map to `namespace/name`
/// keys, queued without duplicates, and one task reconciles them one at a
/// time from the store's current state. A reconcile that throws (a write
/// conflict, say) is retried shortly after.
final class ControllerLoop: Sendable {
    typealias Reconcile = @Sendable (_ namespace: String, _ name: String) throws -> Void

    let name: String
    private let store: ObjectStore
    private let reconcile: Reconcile
    private let queue: AsyncStream<String>.Continuation
    private let keys: AsyncStream<String>

    private struct State {
        var pending: Set<String> = []
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(name: String, store: ObjectStore, reconcile: @escaping Reconcile) {
        self.name = name
        self.store = store
        self.reconcile = reconcile
        (keys, queue) = AsyncStream<String>.makeStream()
    }

    /// Feeds the keys `map` derives from each event of `resource`.
    func watch(_ resource: ResourceType, _ map: @escaping @Sendable (WatchEvent) -> [String]) throws {
        let events = try store.watch(resource, namespace: nil)
        let task = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                for key in map(event) { self.enqueue(key) }
            }
        }
        state.withLock { $0.tasks.append(task) }
    }

    func enqueue(_ key: String) {
        let fresh = state.withLock { $0.pending.insert(key).inserted }
        if fresh { queue.yield(key) }
    }

    func start() {
        let task = Task { [weak self, keys] in
            for await key in keys {
                guard let self else { return }
                self.state.withLock { _ = $0.pending.remove(key) }
                let slash = key.firstIndex(of: "/") ?? key.startIndex
                let namespace = String(key[..<slash])
                let name = String(key[key.index(after: slash)...])
                do {
                    try self.reconcile(namespace, name)
                } catch {
                    Task { [weak self] in
                        try? await Task.sleep(for: .milliseconds(100))
                        self?.enqueue(key)
                    }
                }
            }
        }
        state.withLock { $0.tasks.append(task) }
    }

    func stop() {
        queue.finish()
        let tasks = state.withLock { state in
            defer { state.tasks.removeAll() }
            return state.tasks
        }
        for task in tasks { task.cancel() }
    }

    /// `namespace/name` of an event's object.
    static func key(of object: JSONValue) -> String {
        (object[path: ["metadata", "namespace"]]?.stringValue ?? "") + "/" + (object[path: ["metadata", "name"]]?.stringValue ?? "")
    }

    /// The key of the object's controller of `kind`, if any.
    static func ownerKey(of object: JSONValue, kind: String) -> [String] {
        guard let owner = ControllerObjects.controllerReference(of: object), owner["kind"]?.stringValue == kind,
              let name = owner["name"]?.stringValue else { return [] }
        return [(object[path: ["metadata", "namespace"]]?.stringValue ?? "") + "/" + name]
    }
}
