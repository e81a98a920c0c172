import KlientRPC
import Synchronization

/// A forward's live state and counters, shared by its listeners, pool and
/// target tracker. State changes are reported through `onChange` (outside
/// the lock) so the daemon can publish `session.updated` events.
final class ForwardStatus: Sendable {
    enum State: String, Sendable {
        case connecting, ready, backoff, failed, stopping
    }

    struct Snapshot: Sendable {
        var state: State = .connecting
        var reason: String? = "starting"
        var pod: String?
        var podPorts: [UInt16]?
        var activeMode: String?
        var activeConnections = 0
        var totalConnections: Int64 = 0
        var bytesIn: Int64 = 0
        var bytesOut: Int64 = 0
        var reconnects = 0
        var lastError: String?
        /// The RPC error reason of a `failed` state (Forbidden, NotFound, ...).
        var failureCode: RPCErrorReason?
        /// Set once a session was ready for every port (forward.wait).
        var everReady = false
    }

    private let snapshot = Mutex(Snapshot())
    private let bytesInCounter = Atomic<Int64>(0)
    private let bytesOutCounter = Atomic<Int64>(0)
    let onChange: @Sendable (_ from: State, _ to: State, _ reason: String?) -> Void

    init(onChange: @escaping @Sendable (State, State, String?) -> Void) {
        self.onChange = onChange
    }

    var current: Snapshot {
        var value = snapshot.withLock { $0 }
        value.bytesIn = bytesInCounter.load(ordering: .relaxed)
        value.bytesOut = bytesOutCounter.load(ordering: .relaxed)
        return value
    }

    func addBytesIn(_ count: Int) { bytesInCounter.add(Int64(count), ordering: .relaxed) }
    func addBytesOut(_ count: Int) { bytesOutCounter.add(Int64(count), ordering: .relaxed) }

    func connectionOpened() {
        snapshot.withLock { $0.activeConnections += 1; $0.totalConnections += 1 }
    }

    func connectionClosed() {
        snapshot.withLock { $0.activeConnections -= 1 }
    }

    /// Sets the state (and reason); a change is reported.
    func set(_ state: State, reason: String?, error: String? = nil) {
        let (previous, changed) = snapshot.withLock { s -> (State, Bool) in
            let previous = s.state
            if s.state == .stopping && state != .stopping { return (previous, false) }
            let changed = s.state != state || s.reason != reason
            s.state = state
            s.reason = reason
            if let error { s.lastError = error }
            if state == .ready { s.everReady = true }
            return (previous, changed)
        }
        if changed { onChange(previous, state, reason) }
    }

    /// Records a failed attempt: `failed` when retrying cannot help without
    /// the user (see ``ForwardFailure``), `backoff` otherwise.
    /// - Parameter podGone: a NotFound is about a pod that went away (the
    ///   tracker moves on to its replacement), not about the target.
    func fail(_ error: any Error, podGone: Bool = false) {
        let code = podGone && ForwardFailure.code(of: error) == .notFound ? nil : ForwardFailure.code(of: error)
        update { $0.failureCode = code }
        set(code == nil ? .backoff : .failed, reason: "\(error)", error: "\(error)")
    }

    func update(_ body: (inout Snapshot) -> Void) { snapshot.withLock { body(&$0) } }

}
