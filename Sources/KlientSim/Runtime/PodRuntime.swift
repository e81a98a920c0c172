#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientWire
import Synchronization

/// The simulated node: runs the pods of an ``ObjectStore``.
///
/// It watches pods. A new pod is bound to ``nodeName``, gets a unique
/// 127.0.0.x address (x from 2), its containers start (a container with
/// `command`/`args` runs as a host process in the pod's working directory
/// `<stateDir>/pods/<ns>/<name>/`, where exec runs too; one without is
/// "running" with no process),
/// and its status (phase Running, Ready conditions, containerStatuses) is
/// written through the status subresource. Exits follow `restartPolicy`.
/// A pod that disappears (or gets a `deletionTimestamp`) has its processes
/// stopped (SIGTERM to each process group, SIGKILL after the grace period)
/// and its working directory removed.
public final class PodRuntime: PodRuntimeAccess {
    /// The one node of the simulated cluster.
    public static let nodeName = "klient-sim-node"

    public let store: ObjectStore
    public let stateDirectory: String
    private let reactor: Reactor

    private struct State {
        var pods: [String: RuntimePod] = [:]
        var usedIPs: Set<Int> = []
        var watch: Task<Void, Never>?
        var stopping: [String: Task<Void, Never>] = [:]
        var shutDown = false
    }

    private let state = Mutex(State())

    /// - Parameter stateDirectory: the root of pod working directories and logs (created if missing).
    public init(store: ObjectStore, stateDirectory: String, reactor: Reactor = .shared) {
        self.store = store
        self.stateDirectory = stateDirectory
        self.reactor = reactor
    }

    /// `<stateDirectory>/pods/<namespace>/<name>`, the path ``SimServer`` puts
    /// in ``PodContext/workingDirectory`` (its `podDirectoryRoot` is `<stateDirectory>/pods`).
    public static func workingDirectory(stateDirectory: String, namespace: String, name: String) -> String {
        stateDirectory + "/pods/\(namespace)/\(name)"
    }

    /// The working directory of a pod of this runtime (exec commands run there).
    public func workingDirectory(namespace: String, name: String) -> String {
        Self.workingDirectory(stateDirectory: stateDirectory, namespace: namespace, name: name)
    }

    /// Starts watching pods (existing ones are started at once). Also binds
    /// pods to the node as they are created (an admission hook sets `spec.nodeName`).
    /// - Throws: ``StoreError`` if the watch cannot be opened.
    public func start() throws {
        try FileManager.default.createDirectory(atPath: stateDirectory + "/pods", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: stateDirectory + "/logs", withIntermediateDirectories: true)
        store.addAdmissionHook(for: ResourceRegistry.pods) { operation, object, _ in
            if operation == .create, (object[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty {
                object[path: ["spec", "nodeName"]] = .string(PodRuntime.nodeName)
            }
        }
        let events = try store.watch(ResourceRegistry.pods, namespace: nil)
        let task = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                self.handle(event)
            }
        }
        state.withLock { $0.watch = task }
    }

    /// Stops watching and stops every pod's processes (SIGTERM, then SIGKILL after `grace`).
    public func shutdown(grace: Duration = .seconds(2)) async {
        let (pods, pending, watch) = state.withLock { state in
            state.shutDown = true
            defer { state.pods.removeAll() }
            return (Array(state.pods.values), Array(state.stopping.values), state.watch)
        }
        watch?.cancel()
        await withTaskGroup(of: Void.self) { group in
            for pod in pods {
                group.addTask { await pod.stop(grace: grace) }
            }
        }
        for task in pending { await task.value }
    }

    // MARK: PodRuntimeAccess

    public func attachment(namespace: String, pod: String, container: String) -> (any ContainerAttachment)? {
        state.withLock { $0.pods[namespace + "/" + pod] }?.attachment(container: container)
    }

    // MARK: queries

    /// Process ids of a pod's running containers, by container name (tests, diagnostics).
    public func processIDs(namespace: String, pod: String) -> [String: Int32] {
        state.withLock { $0.pods[namespace + "/" + pod] }?.processIDs ?? [:]
    }

    /// Names (`ns/name`) of the pods this runtime is running.
    public var runningPods: [String] { state.withLock { Array($0.pods.keys).sorted() } }

    func pod(namespace: String, name: String) -> RuntimePod? {
        state.withLock { $0.pods[namespace + "/" + name] }
    }

    // MARK: fault API

    /// What ``restartPod(namespace:name:)`` did.
    public enum PodRestart: Sendable, Equatable {
        /// The pod was deleted; its ReplicaSet creates a replacement with a new name.
        case deletedForReplacement
        /// The pod's containers were killed and started again (restartCount + 1).
        case containersRestarted
    }

    /// Restarts a pod as the fault API asks: a pod controlled by a ReplicaSet
    /// is deleted (its controller makes a replacement with a new name); any
    /// other pod has its containers killed and restarted.
    /// - Throws: ``StoreError/notFound(resource:name:)`` if the pod does not exist.
    @discardableResult
    public func restartPod(namespace: String, name: String) throws -> PodRestart {
        let object = try store.get(ResourceRegistry.pods, namespace: namespace, name: name)
        let owners = object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
        if owners.contains(where: { $0["kind"]?.stringValue == "ReplicaSet" && $0["controller"]?.boolValue == true }) {
            try store.delete(ResourceRegistry.pods, namespace: namespace, name: name)
            return .deletedForReplacement
        }
        if let pod = pod(namespace: namespace, name: name) { pod.restartContainers() }
        return .containersRestarted
    }

    // MARK: events

    private func handle(_ event: WatchEvent) {
        let object = event.object
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
        let key = namespace + "/" + name
        switch event.type {
        case .added, .modified:
            let existing = state.withLock { $0.pods[key] }
            if let existing, existing.uid != uid {
                stopPod(existing)
            } else if let existing {
                if object[path: ["metadata", "deletionTimestamp"]] != nil {
                    stopPod(existing, thenDelete: true)
                }
                return
            }
            guard object[path: ["metadata", "deletionTimestamp"]] == nil else { return }
            let phase = object[path: ["status", "phase"]]?.stringValue
            if event.type == .modified, phase == "Succeeded" || phase == "Failed" { return }
            startPod(object)
        case .deleted:
            if let existing = state.withLock({ $0.pods[key] }), existing.uid == uid { stopPod(existing) }
        default:
            break
        }
    }

    private func startPod(_ object: JSONValue) {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if (object[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty {
            _ = try? store.modify(ResourceRegistry.pods, namespace: namespace, name: name) { pod in
                pod[path: ["spec", "nodeName"]] = .string(PodRuntime.nodeName)
            }
        }
        let pod: RuntimePod? = state.withLock { state in
            guard !state.shutDown else { return nil }
            var index = 2
            while state.usedIPs.contains(index) || index & 0xFF == 0 || index & 0xFF == 0xFF { index += 1 }
            state.usedIPs.insert(index)
            let ip = "127.0.\(index >> 8).\(index & 0xFF)"
            let pod = RuntimePod(object: object, podIP: ip, ipIndex: index, stateDirectory: stateDirectory,
                                 store: store, reactor: reactor)
            state.pods[pod.key] = pod
            return pod
        }
        pod?.start()
    }

    /// Forgets the pod at once (a namesake may start right after), moves its
    /// working directory aside, then stops it in the background.
    private func stopPod(_ pod: RuntimePod, thenDelete: Bool = false) {
        let trash = stateDirectory + "/pods/.deleted-\(pod.uid)"
        state.withLock { state in
            if state.pods[pod.key] === pod { state.pods[pod.key] = nil }
        }
        _ = rename(pod.workingDirectory, trash)
        let store = self.store
        state.withLock { state in
            guard state.stopping[pod.uid] == nil else { return }
            state.stopping[pod.uid] = Task { [weak self] in
                await pod.stop()
                try? FileManager.default.removeItem(atPath: trash)
                if thenDelete {
                    _ = try? store.delete(ResourceRegistry.pods, namespace: pod.namespace, name: pod.name,
                                          preconditions: DeletePreconditions(uid: pod.uid))
                }
                self?.state.withLock { state in
                    state.usedIPs.remove(pod.ipIndex)
                    state.stopping[pod.uid] = nil
                }
            }
        }
    }
}
