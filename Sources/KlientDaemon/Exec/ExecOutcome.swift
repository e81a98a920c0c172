import KlientRPC
import Synchronization

/// How an exec or attach session ended, set once; `exec.wait` callers (any
/// number, before or after) get it.
final class ExecOutcome: Sendable {
    private struct State {
        var result: Result<ExecExitResult, RPCError>?
        var waiters: [CheckedContinuation<Result<ExecExitResult, RPCError>, Never>] = []
    }

    private let state = Mutex(State())

    /// Sets the outcome; later calls are ignored.
    func set(_ result: Result<ExecExitResult, RPCError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Result<ExecExitResult, RPCError>, Never>] in
            guard state.result == nil else { return [] }
            state.result = result
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    var current: Result<ExecExitResult, RPCError>? { state.withLock { $0.result } }

    /// Waits for the outcome.
    func wait() async -> Result<ExecExitResult, RPCError> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<ExecExitResult, RPCError>? in
                if let result = state.result { return result }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
