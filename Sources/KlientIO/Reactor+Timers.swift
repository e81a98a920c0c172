import Synchronization

extension Reactor {
    /// Suspends until `deadline` without occupying a thread; the reactor's
    /// epoll_wait timeout serves the earliest deadline of its timer heap.
    /// Returns immediately if the deadline has passed.
    /// - Throws: `CancellationError` if the task is (or gets) cancelled;
    ///   ``IOError/closed`` if the reactor shuts down.
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = nextID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case none, resume, fail(any Error), wake }
                let action: Action = state.withLock { state in
                    if state.stopped { return .fail(IOError.closed("sleep on reactor \(name): it has shut down")) }
                    if Task.isCancelled { return .fail(CancellationError()) }
                    if deadline <= .now { return .resume }
                    state.timers[id] = continuation
                    state.heap.push(.init(deadline: deadline, id: id))
                    // Cancelled timers stay in the heap; compact when they dominate.
                    if state.heap.count > 64, state.heap.count > 2 * state.timers.count {
                        let live = state.timers
                        state.heap.compact { live[$0] != nil }
                    }
                    guard state.isPolling, !state.wakePending else { return .none }
                    if let polling = state.pollingUntil, polling <= deadline { return .none }
                    state.wakePending = true
                    return .wake
                }
                switch action {
                case .none: break
                case .resume: continuation.resume()
                case .fail(let error): continuation.resume(throwing: error)
                case .wake: wake()
                }
            }
        } onCancel: {
            let continuation = state.withLock { $0.timers.removeValue(forKey: id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Suspends for `duration`; see ``sleep(until:)``.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: .now.advanced(by: duration))
    }

    /// Moves due timers out of the heap; called by the reactor thread under the lock.
    func collectExpiredTimers(_ state: inout State, into ready: inout [CheckedContinuation<Void, any Error>]) {
        guard let first = state.heap.first else { return }
        let now = ContinuousClock.now
        guard first.deadline <= now else { return }
        while let top = state.heap.first, top.deadline <= now {
            _ = state.heap.popFirst()
            if let continuation = state.timers.removeValue(forKey: top.id) {
                ready.append(continuation)
            }
        }
    }
}
