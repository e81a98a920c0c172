#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch
import Foundation
import KlientWire
import Klient
import KlientHTTP
import KlientIO
import KlientRPC
import Synchronization

/// klientd's forwards: `forward.add/list/remove/wait`, persistence and
/// restore at start. Each forward is also a session (kind `forward`).
final class ForwardManager: Sendable {
    private let sessions: SessionRegistry
    private let kubeconfig: KubeconfigState
    private let logger: DaemonLogger
    private let store: ForwardStore
    private let forwards = Mutex<[String: Forward]>([:])
    private let nextID = Mutex(1)
    private let clients: KubernetesClientCache
    /// File I/O (write, fsync, rename) runs here, never on the cooperative pool.
    private let storage = DispatchQueue(label: "klientd.forwards.store")
    /// How long `forward.add` waits for the first connection before answering
    /// (a refusal such as Forbidden is reported as an error; slower starts are not).
    static let addProbeTime: Duration = .seconds(10)

    init(sessions: SessionRegistry, kubeconfig: KubeconfigState, clients: KubernetesClientCache, logger: DaemonLogger,
         stateDirectory: String) {
        self.sessions = sessions
        self.kubeconfig = kubeconfig
        self.clients = clients
        self.logger = logger
        store = ForwardStore(directory: stateDirectory)
    }

    var count: Int { forwards.withLock { $0.count } }

    // MARK: Start-up

    /// Restores persisted forwards on the ports they had.
    func restore() async {
        let store = self.store
        let loaded = await withCheckedContinuation { (done: CheckedContinuation<ForwardStore.Loaded, Never>) in
            storage.async { done.resume(returning: store.load()) }
        }
        switch loaded {
        case .none:
            return
        case .corrupt(let reason, let movedTo):
            logger.log(.error, "forwards file \(store.path) is unreadable (\(reason)); "
                       + (movedTo.map { "moved it to \($0) and " } ?? "") + "starting without persistent forwards")
        case .forwards(let specs):
            for spec in specs {
                nextID.withLock { $0 = max($0, Self.number(of: spec.id) + 1) }
                do {
                    let forward = try start(spec)
                    logger.log(.info, "restored forward \(spec.id) \(spec.target) on "
                               + forward.listeners.map { "\($0.address):\($0.port)" }.joined(separator: ", "),
                               fields: ["SESSION_ID": spec.id, "TARGET": spec.target, "CONTEXT": spec.context])
                } catch {
                    logger.log(.error, "cannot restore forward \(spec.id) \(spec.target): \(error); it stays saved "
                               + "(klientctl forward rm \(spec.id) removes it)", fields: ["SESSION_ID": spec.id])
                }
            }
        }
    }

    // MARK: Methods

    func add(_ params: ForwardAddParams) async throws -> ForwardInfo {
        let target: ForwardTarget
        do { target = try ForwardTarget(parsing: params.target) } catch {
            throw RPCError.application(.invalid, "\(error)")
        }
        if let name = params.name, forwards.withLock({ $0.values.contains { $0.spec.name == name } }) {
            throw RPCError.application(.conflict, "a forward named \"\(name)\" exists; choose another --name or remove it first",
                                       details: ["name": .string(name)])
        }
        let configuration: ClientConfiguration
        do {
            configuration = try kubeconfig.clientConfiguration(context: params.context, namespace: params.namespace)
        } catch {
            throw RPCError.application(.invalid, "\(error)")
        }
        let context = params.context ?? kubeconfig.currentContext ?? ""
        let id = nextID.withLock { n in defer { n += 1 }; return "f-\(n)" }
        let spec = ForwardSpec(id: id, name: params.name, context: context, namespace: configuration.namespace,
                               target: target.description,
                               ports: params.ports,
                               addresses: params.addresses ?? ForwardAddParams.defaultAddresses,
                               pool: params.pool ?? ForwardAddParams.defaultPool, mode: params.mode, persist: params.persist,
                               createdAt: DaemonClock.timestamp())
        let forward: Forward
        do {
            forward = try start(spec)
        } catch let error as ForwardListenerBinder.BindError {
            if let (address, port) = error.inUse {
                throw RPCError.application(.conflict, error.description,
                                           details: ["address": .string(address), "port": .int(Int64(port))])
            }
            throw RPCError.application(.invalid, error.description)
        } catch {
            throw RPCError.application(.invalid, "\(error)")
        }
        // A refusal (Forbidden, no such service) is the answer to this call,
        // not a state to discover later.
        let deadline = ContinuousClock.now + Self.addProbeTime
        while ContinuousClock.now < deadline {
            let s = forward.status.current
            // Settled: a session is up, or the target has no ready pod yet, or
            // a transient failure is being retried. Only `failed` is an answer.
            let waitingForPod = s.state == .connecting && s.pod == nil && s.reason?.hasPrefix("waiting") == true
            if s.state == .ready || s.state == .backoff || waitingForPod { break }
            if s.state == .failed {
                await remove(forward, persisted: false)
                throw RPCError.application(s.failureCode ?? .invalid,
                                           "forward \(spec.target) in namespace \(spec.namespace): \(s.reason ?? "failed")")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        if spec.persist { await persist() }
        logger.log(.info, "forward \(id) added: \(spec.target) on "
                   + forward.listeners.map { "\($0.address):\($0.port)" }.joined(separator: ", "),
                   fields: ["SESSION_ID": id, "TARGET": spec.target, "CONTEXT": context])
        return forward.forwardInfo
    }

    func list() -> [ForwardInfo] {
        forwards.withLock { Array($0.values) }
            .sorted { Self.number(of: $0.spec.id) < Self.number(of: $1.spec.id) }
            .map(\.forwardInfo)
    }

    func remove(_ params: ForwardRemoveParams) async throws -> [String] {
        let matched: [Forward]
        if params.all && params.ref != nil {
            throw RPCError.application(.invalid, "give a forward id or name, or all, not both")
        } else if params.all {
            matched = forwards.withLock { Array($0.values) }
        } else if let ref = params.ref {
            guard let forward = find(ref) else { throw Self.notFound(ref) }
            matched = [forward]
        } else {
            throw RPCError.application(.invalid, "give a forward id or name, or all")
        }
        for forward in matched { await remove(forward, persisted: true) }
        return matched.map(\.spec.id).sorted { Self.number(of: $0) < Self.number(of: $1) }
    }

    func wait(_ params: ForwardWaitParams) async throws -> ForwardInfo {
        guard let forward = find(params.ref) else { throw Self.notFound(params.ref) }
        let deadline = ContinuousClock.now + .milliseconds(Int64((params.timeout ?? ForwardWaitParams.defaultTimeout) * 1000))
        while true {
            let s = forward.status.current
            if s.state == .ready { return forward.forwardInfo }
            if s.state == .stopping { throw RPCError.application(.invalid, "forward \(params.ref) was removed while waiting") }
            if ContinuousClock.now >= deadline {
                throw RPCError.forwardNotReady(forward.forwardInfo, seconds: params.timeout ?? ForwardWaitParams.defaultTimeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Called by `session.stop` for a forward: removes it for good.
    func stopSession(_ id: String) async -> Bool {
        guard let forward = forwards.withLock({ $0[id] }) else { return false }
        await remove(forward, persisted: true)
        return true
    }

    // MARK: - Internals

    private func find(_ ref: String) -> Forward? {
        forwards.withLock { all in all[ref] ?? all.values.first { $0.spec.name == ref } }
    }

    private func remove(_ forward: Forward, persisted: Bool) async {
        let removed = forwards.withLock { $0.removeValue(forKey: forward.id) } != nil
        guard removed else { return }
        await forward.stop()
        sessions.remove(forward.id)
        if persisted && forward.spec.persist { await persist() }
        logger.log(.info, "forward \(forward.id) removed", fields: ["SESSION_ID": forward.id])
    }

    /// Binds the listeners and starts the forward.
    private func start(_ spec: ForwardSpec) throws -> Forward {
        let rpcTarget = try ForwardTarget(parsing: spec.target)
        var spec = spec
        let listeners = try ForwardListenerBinder.bind(&spec)
        let target = PortForwardTarget(kind: Self.kind(rpcTarget.kind), name: rpcTarget.name)
        let context = spec.context
        let namespace = spec.namespace
        let id = spec.id
        let forward = Forward(spec: spec, target: target, listeners: listeners,
                              client: { [weak self] in
                                  guard let self else { throw CancellationError() }
                                  return try self.clients.client(context: context, namespace: namespace)
                              },
                              onStateChange: { [weak self] from, to, reason in
                                  self?.sessions.updated(id, message: "\(from.rawValue) -> \(to.rawValue)"
                                                         + (reason.map { ": \($0)" } ?? ""))
                              },
                              onPodChange: { [weak self] from, to in
                                  guard let self else { return }
                                  if let from {
                                      self.logger.log(.info, "forward \(id): pod \(from) -> \(to)", fields: ["SESSION_ID": id])
                                      self.sessions.reconnected(id, message: "now forwarding to pod \(to) (was \(from))")
                                  }
                              })
        forwards.withLock { $0[spec.id] = forward }
        sessions.add(forward)
        forward.start()
        return forward
    }

    /// Saves the persistent forwards; returns once the file is on disk. The
    /// list is read on the storage queue, so concurrent saves land in order
    /// and the last one written is the current list.
    private func persist() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            storage.async { [self] in
                let specs = forwards.withLock { Array($0.values) }.map(\.spec).filter(\.persist)
                    .sorted { Self.number(of: $0.id) < Self.number(of: $1.id) }
                do { try store.save(specs) } catch {
                    logger.log(.error, "cannot save forwards to \(store.path): \(error) (they run, but would not be restored)")
                }
                done.resume()
            }
        }
    }

    static func number(of id: String) -> Int { Int(id.dropFirst(2)) ?? 0 }

    static func kind(_ kind: ForwardTarget.Kind) -> PortForwardTarget.Kind {
        switch kind {
        case .pod: .pod
        case .service: .service
        case .deployment: .deployment
        case .statefulSet: .statefulSet
        case .replicaSet: .replicaSet
        }
    }

    static func notFound(_ ref: String) -> RPCError {
        .application(.notFound, "no forward \"\(ref)\"; klientctl forward list shows them", details: ["ref": .string(ref)])
    }
}

extension ForwardRemotePort {
    var intOrString: IntOrString {
        switch self {
        case .number(let n): .int(n)
        case .name(let s): .string(s)
        }
    }
}
