import KlientIO
import Synchronization

/// Ready connections to the current pod, `size` per forwarded port.
///
/// A local connection takes a pooled connection (no TLS, HTTP or upgrade on
/// its path) and the pool refills in the background. When the pool is empty
/// (a burst), connections are opened on demand; when there is no pod yet, a
/// local connection waits (bounded) for one instead of being refused. On a
/// pod change idle connections are discarded; connections in use keep going,
/// and the old connector is closed once the last of them ends.
final class ConnectionPool: Sendable {
    typealias Failure = @Sendable (any Error) -> Void
    let size: Int
    let portCount: Int
    private let onOpened: @Sendable (PodTarget) -> Void
    private let onFailed: @Sendable (any Error) -> Void

    private struct State {
        var target: PodTarget?
        var idle: [[ReadyConnection]]
        var filling: [Int]
        /// Connections in use per generation (to close an old connector once unused).
        var inUse: [Int: Int] = [:]
        /// Connectors of earlier generations still carrying connections.
        var retired: [Int: any PodConnector] = [:]
        var targetWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(15))
        var retryScheduled = false
        var stopped = false
        /// With `size` 0 one connection is still opened (and closed) per target,
        /// to know that it works (`ready`) or why not.
        var probed = false
    }

    private let state: Mutex<State>

    init(size: Int, portCount: Int, onOpened: @escaping @Sendable (PodTarget) -> Void,
         onFailed: @escaping @Sendable (any Error) -> Void) {
        self.size = size
        self.portCount = portCount
        self.onOpened = onOpened
        self.onFailed = onFailed
        state = Mutex(State(idle: Array(repeating: [], count: portCount), filling: Array(repeating: 0, count: portCount)))
    }

    var target: PodTarget? { state.withLock { $0.target } }

    var idleCount: Int { state.withLock { $0.idle.reduce(0) { $0 + $1.count } } }

    /// Switches new connections to `target` (nil: no pod is ready).
    func retarget(_ target: PodTarget?) {
        let (discarded, toClose, waiters) = state.withLock { s -> ([ReadyConnection], [any PodConnector], [CheckedContinuation<Void, Never>]) in
            guard !s.stopped else { return ([], target.map { [$0.connector] } ?? [], []) }
            let discarded = s.idle.flatMap { $0 }
            s.idle = Array(repeating: [], count: portCount)
            var toClose: [any PodConnector] = []
            if let old = s.target {
                if (s.inUse[old.generation] ?? 0) > 0 { s.retired[old.generation] = old.connector } else { toClose.append(old.connector) }
            }
            s.target = target
            s.probed = false
            s.backoff.reset()
            let waiters = target == nil ? [] : Array(s.targetWaiters.values)
            if target != nil { s.targetWaiters.removeAll() }
            return (discarded, toClose, waiters)
        }
        for connection in discarded { connection.discard() }
        for connector in toClose { Task { await connector.close() } }
        for waiter in waiters { waiter.resume() }
        refillAll()
    }

    /// Takes a connection for port `index`, waiting until `deadline` for a pod
    /// or a successful open. The caller must call ``release(_:)`` when done.
    /// - Throws: the last open error, or `TimeoutError` when no pod was ready in time.
    func acquire(port index: Int, deadline: ContinuousClock.Instant) async throws -> ReadyConnection {
        var lastError: (any Error)?
        while true {
            try Task.checkCancellation()
            if let pooled = popIdle(index) {
                refill(index)
                return pooled
            }
            if let target = state.withLock({ $0.stopped ? nil : $0.target }) {
                refill(index)
                do {
                    let stream = try await target.connector.connect(port: target.podPorts[index])
                    onOpened(target)
                    let connection = ReadyConnection(stream: stream, generation: target.generation) { _ in }
                    _ = connection.take()
                    if claim(connection) { return connection }
                    stream.close()
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    lastError = error
                    onFailed(error)
                    scheduleRetry()
                }
                if ContinuousClock.now >= deadline { throw lastError ?? TimeoutError(operation: "waiting for a connection to the pod", timeout: nil) }
                try await Task.sleep(for: min(.milliseconds(200), deadline - .now))
            } else {
                if state.withLock({ $0.stopped }) { throw CancellationError() }
                guard await waitForTarget(until: deadline) else {
                    throw lastError ?? TimeoutError(operation: "waiting for a ready pod", timeout: nil)
                }
            }
        }
    }

    /// A connection taken from the pool has ended.
    func release(_ connection: ReadyConnection) {
        let connector = state.withLock { s -> (any PodConnector)? in
            let remaining = (s.inUse[connection.generation] ?? 1) - 1
            if remaining <= 0 {
                s.inUse[connection.generation] = nil
                return s.retired.removeValue(forKey: connection.generation)
            }
            s.inUse[connection.generation] = remaining
            return nil
        }
        if let connector { Task { await connector.close() } }
    }

    /// Stops refilling, discards idle connections and closes connectors.
    func shutdown() async {
        let (idle, connectors, waiters) = state.withLock { s -> ([ReadyConnection], [any PodConnector], [CheckedContinuation<Void, Never>]) in
            s.stopped = true
            let idle = s.idle.flatMap { $0 }
            s.idle = Array(repeating: [], count: portCount)
            var connectors = Array(s.retired.values)
            if let target = s.target { connectors.append(target.connector) }
            s.retired.removeAll()
            s.target = nil
            let waiters = Array(s.targetWaiters.values)
            s.targetWaiters.removeAll()
            return (idle, connectors, waiters)
        }
        for connection in idle { connection.discard() }
        for waiter in waiters { waiter.resume() }
        for connector in connectors { await connector.close() }
    }

    // MARK: - Internals

    private func popIdle(_ index: Int) -> ReadyConnection? {
        while let candidate = state.withLock({ s -> ReadyConnection? in
            s.idle[index].isEmpty ? nil : s.idle[index].removeFirst()
        }) {
            if candidate.take() {
                if claim(candidate) { return candidate }
                candidate.stream.close()
            }
        }
        return nil
    }

    /// Counts a taken connection as in use; false if its generation is no longer current.
    private func claim(_ connection: ReadyConnection) -> Bool {
        state.withLock { s in
            guard !s.stopped, s.target?.generation == connection.generation else { return false }
            s.inUse[connection.generation, default: 0] += 1
            return true
        }
    }

    private func refillAll() {
        for index in 0..<portCount { refill(index) }
    }

    private func refill(_ index: Int) {
        let plan = state.withLock { s -> (PodTarget, Int)? in
            guard !s.stopped, !s.retryScheduled, let target = s.target else { return nil }
            let wanted = size == 0 && index == 0 && !s.probed ? 1 : size
            let needed = wanted - s.idle[index].count - s.filling[index]
            guard needed > 0 else { return nil }
            s.filling[index] += needed
            return (target, needed)
        }
        guard let (target, count) = plan else { return }
        for _ in 0..<count {
            Task { [self] in await openOne(index, target) }
        }
    }

    private func openOne(_ index: Int, _ target: PodTarget) async {
        do {
            let stream = try await target.connector.connect(port: target.podPorts[index])
            let connection = ReadyConnection(stream: stream, generation: target.generation) { [weak self] dead in
                self?.died(dead, index)
            }
            let kept = state.withLock { s -> Bool in
                s.filling[index] -= 1
                if size == 0 {
                    s.probed = true
                    return false
                }
                guard !s.stopped, s.target?.generation == target.generation else { return false }
                s.idle[index].append(connection)
                s.backoff.reset()
                return true
            }
            if !kept { connection.discard() }
            onOpened(target)
        } catch {
            state.withLock { $0.filling[index] -= 1 }
            onFailed(error)
            scheduleRetry()
        }
    }

    /// A pooled connection ended while idle (server closed it, tunnel died).
    private func died(_ connection: ReadyConnection, _ index: Int) {
        let quickly = ContinuousClock.now - connection.openedAt < .seconds(1)
        state.withLock { s in s.idle[index].removeAll { $0 === connection } }
        // A server that closes idle connections at once must not make us spin.
        if quickly { scheduleRetry() } else { refill(index) }
    }

    private func scheduleRetry() {
        let delay = state.withLock { s -> Duration? in
            guard !s.stopped, !s.retryScheduled else { return nil }
            s.retryScheduled = true
            return s.backoff.next()
        }
        guard let delay else { return }
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard let self else { return }
            self.state.withLock { $0.retryScheduled = false }
            self.refillAll()
        }
    }

    /// Waits for a target; false when `deadline` passed first.
    private func waitForTarget(until deadline: ContinuousClock.Instant) async -> Bool {
        let id = state.withLock { s -> Int in s.nextWaiter += 1; return s.nextWaiter }
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            self?.wakeWaiter(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { s -> Bool in
                    if s.target != nil || s.stopped { return true }
                    s.targetWaiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: { [weak self] in
            self?.wakeWaiter(id)
        }
        timer.cancel()
        return state.withLock { $0.target != nil }
    }

    private func wakeWaiter(_ id: Int) {
        state.withLock { $0.targetWaiters.removeValue(forKey: id) }?.resume()
    }
}
