/// Runs `operation`, cancelling it when `deadline` passes.
///
/// The deadline is a timer on `reactor`, so no thread sleeps. When it fires,
/// the operation's task is cancelled; this function waits for the operation
/// to unwind (reactor waits throw `CancellationError` promptly) and throws
/// ``TimeoutError``.
/// - Throws: ``TimeoutError`` when the deadline passes first; otherwise
///   whatever `operation` throws, or `CancellationError` if the calling task
///   is cancelled.
public func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    _ description: String? = nil,
    reactor: Reactor = .shared,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await race(deadline, error: TimeoutError(operation: description, timeout: nil), reactor: reactor, operation: operation)
}

/// Runs `operation`, cancelling it after `timeout`; see ``withDeadline(_:_:reactor:operation:)``.
/// - Throws: ``TimeoutError`` naming `description` and the time allowed.
public func withTimeout<T: Sendable>(
    _ timeout: Duration,
    _ description: String? = nil,
    reactor: Reactor = .shared,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await race(.now.advanced(by: timeout), error: TimeoutError(operation: description, timeout: timeout),
                   reactor: reactor, operation: operation)
}

private enum Outcome<T: Sendable>: Sendable {
    case value(T)
    case timedOut
}

private func race<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    error timeoutError: TimeoutError,
    reactor: Reactor,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
        group.addTask { .value(try await operation()) }
        group.addTask {
            try await reactor.sleep(until: deadline)
            return .timedOut
        }
        defer { group.cancelAll() }
        switch try await group.next()! {
        case .value(let value):
            return value
        case .timedOut:
            group.cancelAll()
            // Wait for the operation to unwind; its outcome no longer matters.
            while case .some = try? await group.next() {}
            throw timeoutError
        }
    }
}
