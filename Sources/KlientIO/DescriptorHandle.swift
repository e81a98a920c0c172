#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// Shares one descriptor between concurrent operations and `close()`
/// without ever using a closed (possibly reused) number.
///
/// Operations *borrow* the number for their whole duration, waits included.
/// `close()` marks the handle closing, deregisters it from the reactor
/// (failing pending waits, and making the reactor refuse new ones), and the
/// last borrower to leave performs the actual close(2).
final class DescriptorHandle: Sendable {
    private struct State {
        var fd: Int32
        var borrows = 0
        var deregistered = false
    }

    let reactor: Reactor
    private let closing = Atomic<Bool>(false)
    private let state: Mutex<State>

    init(fd: Int32, reactor: Reactor) {
        self.reactor = reactor
        state = Mutex(State(fd: fd))
    }

    var isClosing: Bool { closing.load(ordering: .acquiring) }

    /// The descriptor number while open (diagnostics only).
    var rawValue: Int32? {
        state.withLock { $0.fd >= 0 && !$0.deregistered ? $0.fd : nil }
    }

    func borrow<R>(
        _ operation: @autoclosure () -> String,
        _ body: (Int32) async throws -> R
    ) async throws -> R {
        let fd = try acquire(operation)
        defer { release() }
        return try await body(fd)
    }

    func borrowSync<R>(
        _ operation: @autoclosure () -> String,
        _ body: (Int32) throws -> R
    ) throws -> R {
        let fd = try acquire(operation)
        defer { release() }
        return try body(fd)
    }

    func waitReadable(_ fd: Int32) async throws {
        try await reactor.wait(fd, .read, handle: self)
    }

    func waitWritable(_ fd: Int32) async throws {
        try await reactor.wait(fd, .write, handle: self)
    }

    /// Idempotent; safe from any thread at any time.
    func close() {
        guard !closing.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let fd = state.withLock { $0.fd }
        guard fd >= 0 else { return }
        reactor.deregister(fd)
        let toClose: Int32 = state.withLock { state in
            state.deregistered = true
            return state.borrows == 0 ? Self.takeDescriptor(&state) : -1
        }
        if toClose >= 0 { _ = Glibc.close(toClose) }
    }

    private func acquire(_ operation: () -> String) throws(IOError) -> Int32 {
        let fd: Int32 = state.withLock { state in
            guard !isClosing, state.fd >= 0 else { return -1 }
            state.borrows += 1
            return state.fd
        }
        if fd < 0 { throw IOError.closed(operation()) }
        return fd
    }

    private func release() {
        let toClose: Int32 = state.withLock { state in
            state.borrows -= 1
            return state.borrows == 0 && state.deregistered ? Self.takeDescriptor(&state) : -1
        }
        if toClose >= 0 { _ = Glibc.close(toClose) }
    }

    private static func takeDescriptor(_ state: inout State) -> Int32 {
        defer { state.fd = -1 }
        return state.fd
    }

    deinit {
        // No borrower can exist any more: they hold references.
        let fd = state.withLock { Self.takeDescriptor(&$0) }
        if fd >= 0 {
            if !isClosing { reactor.deregister(fd) }
            _ = Glibc.close(fd)
        }
    }
}
