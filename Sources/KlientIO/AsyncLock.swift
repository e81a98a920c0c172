import Synchronization

/// A FIFO mutual-exclusion lock for async code: waiting suspends the task
/// instead of blocking a thread, and a cancelled waiter leaves the queue with
/// `CancellationError`. Used to keep one writer at a time on a stream (frames
/// must never interleave).
public final class AsyncLock: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var locked = false
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Waits until the lock is free and takes it.
    /// - Throws: `CancellationError` if the task is cancelled while waiting
    ///   (the lock is then not held).
    public func lock() async throws {
        let id: UInt64? = state.withLock { state in
            if !state.locked {
                state.locked = true
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if !state.locked {
                        state.locked = true
                        return true
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled: Waiter? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Releases the lock, handing it straight to the longest waiter if any.
    public func unlock() {
        let next: Waiter? = state.withLock { state in
            precondition(state.locked, "AsyncLock.unlock() without lock()")
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst() // ownership passes on: stays locked
        }
        next?.continuation.resume()
    }

    /// Runs `body` holding the lock.
    public func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await lock()
        defer { unlock() }
        return try await body()
    }
}
