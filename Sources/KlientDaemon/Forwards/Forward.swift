#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Klient
import KlientIO
import KlientRPC
import Synchronization

/// One port-forward: its listeners, the pool of ready connections to the
/// current pod, and the tracker that follows the target's pods.
///
/// Listeners accept for as long as the forward exists; a connection that
/// arrives while no pod is ready waits (up to ``connectionWait``) instead of
/// being refused.
final class Forward: DaemonSession {
    let spec: ForwardSpec
    let listeners: [BoundListener]
    let status: ForwardStatus
    let pool: ConnectionPool
    private let tracker: TargetTracker
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let active = Mutex<[ObjectIdentifier: Socket]>([:])
    static let connectionWait: Duration = .seconds(30)

    struct BoundListener: Sendable {
        let listener: Listener
        let address: String
        let port: Int
        let portIndex: Int
    }

    var id: String { spec.id }

    init(spec: ForwardSpec, target: PortForwardTarget, listeners: [BoundListener],
         client: @escaping @Sendable () throws -> KubernetesClient,
         onStateChange: @escaping @Sendable (ForwardStatus.State, ForwardStatus.State, String?) -> Void,
         onPodChange: @escaping @Sendable (String?, String) -> Void) {
        self.spec = spec
        self.listeners = listeners
        let status = ForwardStatus(onChange: onStateChange)
        self.status = status
        pool = ConnectionPool(size: spec.pool, portCount: spec.ports.count, onOpened: { target in
            status.update { $0.activeMode = target.connector.activeMode ?? $0.activeMode }
            status.set(.ready, reason: nil)
        }, onFailed: { error in status.fail(error, podGone: true) })
        var options = PortForwardOptions()
        options.pingInterval = .seconds(10)
        options.inactivityTimeout = .seconds(30)
        tracker = TargetTracker(settings: .init(target: target, namespace: spec.namespace,
                                                ports: spec.ports.map { $0.remote.intOrString }, mode: spec.mode,
                                                options: options),
                                client: client, pool: pool, status: status, onPodChange: onPodChange)
    }

    /// Starts accepting and following the target.
    func start() {
        var started: [Task<Void, Never>] = [Task { [tracker] in await tracker.run() }]
        for bound in listeners {
            started.append(Task { [weak self] in await self?.acceptLoop(bound) })
        }
        tasks.withLock { $0 = started }
    }

    var info: SessionInfo {
        let s = status.current
        let ports = spec.ports.map(\.description).joined(separator: " ")
        return SessionInfo(id: spec.id, kind: "forward", context: spec.context, namespace: spec.namespace,
                           target: "\(spec.target) \(ports)", state: s.state.rawValue, reason: s.reason,
                           startedAt: spec.createdAt, bytesIn: s.bytesIn, bytesOut: s.bytesOut)
    }

    var forwardInfo: ForwardInfo {
        let s = status.current
        let bound = listeners.map { listener in
            ForwardListener(address: listener.address, port: listener.port,
                            remotePort: spec.ports[listener.portIndex].remote,
                            podPort: s.podPorts.map { Int($0[listener.portIndex]) })
        }
        return ForwardInfo(id: spec.id, name: spec.name, context: spec.context, namespace: spec.namespace,
                           target: spec.target, mode: spec.mode, activeMode: s.activeMode, persist: spec.persist,
                           pool: spec.pool, state: s.state.rawValue, reason: s.reason, pod: s.pod, listeners: bound,
                           activeConnections: s.activeConnections, totalConnections: s.totalConnections,
                           bytesIn: s.bytesIn, bytesOut: s.bytesOut, reconnects: s.reconnects, lastError: s.lastError,
                           createdAt: spec.createdAt)
    }

    /// Closes the listeners and every connection; the definition stays persisted.
    func stop() async {
        status.set(.stopping, reason: nil)
        for bound in listeners { bound.listener.close() }
        let running = tasks.withLock { t in defer { t.removeAll() }; return t }
        for task in running { task.cancel() }
        let sockets = active.withLock { a in defer { a.removeAll() }; return Array(a.values) }
        for socket in sockets { socket.close() }
        await pool.shutdown()
    }

    private func acceptLoop(_ bound: BoundListener) async {
        while !Task.isCancelled {
            let socket: Socket
            do {
                socket = try await bound.listener.accept()
            } catch is CancellationError {
                return
            } catch let error as IOError where error.kind == .closed {
                return
            } catch {
                // EMFILE and the like: keep the listener, try again shortly.
                status.update { $0.lastError = "accept on \(bound.address):\(bound.port): \(error)" }
                try? await Task.sleep(for: .milliseconds(100))
                continue
            }
            Task { [weak self] in await self?.serve(socket, portIndex: bound.portIndex) }
        }
    }

    private func serve(_ socket: Socket, portIndex: Int) async {
        let key = ObjectIdentifier(socket)
        active.withLock { $0[key] = socket }
        status.connectionOpened()
        defer {
            status.connectionClosed()
            active.withLock { $0[key] = nil }
        }
        let connection: ReadyConnection
        do {
            connection = try await pool.acquire(port: portIndex, deadline: .now + Self.connectionWait)
        } catch {
            status.update { $0.lastError = "no connection to the pod for a client of local port \(spec.ports[portIndex].local ?? 0): \(error)" }
            socket.close()
            return
        }
        let pool = self.pool
        await ConnectionSplice(local: socket, remote: connection, status: status,
                               replace: { try await pool.acquire(port: portIndex, deadline: .now + Self.connectionWait) },
                               release: { pool.release($0) }).run()
    }
}
