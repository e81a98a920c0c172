#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims
import Synchronization

/// An epoll event loop on one dedicated thread that turns descriptor
/// readiness and timer deadlines into resumed continuations.
///
/// Tasks never block: they try their non-blocking syscall first and only on
/// EAGAIN call ``waitReadable(_:)`` / ``waitWritable(_:)``, which suspend
/// until the reactor thread sees readiness. Interest is armed with
/// `EPOLLONESHOT`, so each readiness report disarms the descriptor and the
/// reactor re-arms only for waiters still pending: no event is lost and no
/// continuation is resumed twice. Wake-ups for earlier timers go through an
/// eventfd. One reactor serves any number of connections: the thread count
/// does not grow with them.
public final class Reactor: Sendable {
    /// The process-wide reactor, started on first use. Starting it also
    /// ignores SIGPIPE (see ``ignoreSIGPIPE()``).
    public static let shared: Reactor = {
        ignoreSIGPIPE()
        do {
            return try Reactor(name: "klient-reactor")
        } catch {
            fatalError("cannot start the shared reactor: \(error)")
        }
    }()

    struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    struct Registration {
        let generation: UInt32
        var readers: [Waiter] = []
        var writers: [Waiter] = []
        /// The events currently armed in epoll (0 after a one-shot report).
        var armed: UInt32 = 0
        var inEpoll = false

        var wanted: UInt32 {
            (readers.isEmpty ? 0 : EPOLLIN.rawValue) | (writers.isEmpty ? 0 : EPOLLOUT.rawValue)
        }
    }

    struct State {
        var registrations: [Int32: Registration] = [:]
        var nextGeneration: UInt32 = 0
        var timers: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var heap = TimerHeap()
        /// True while the reactor thread is in (or about to enter) epoll_wait.
        var isPolling = false
        /// The deadline epoll_wait will wake for; nil means no timeout.
        var pollingUntil: ContinuousClock.Instant?
        var wakePending = false
        var stopped = false
    }

    enum Direction { case read, write }

    private static let wakeToken = UInt64.max

    let epollFD: Int32
    private let wakeFD: Int32
    let state = Mutex(State())
    private let ids = Atomic<UInt64>(0)
    /// The name of the reactor thread.
    public let name: String

    /// Creates a reactor and starts its thread.
    /// - Throws: ``IOError`` if epoll, the eventfd or the thread cannot be created.
    public init(name: String = "klient-reactor") throws(IOError) {
        self.name = name
        epollFD = try syscallBlocking("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeFD = try syscallBlocking("eventfd") { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
        } catch {
            _ = Glibc.close(epollFD)
            throw error
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Reactor.wakeToken
        let wakeFD = self.wakeFD, epollFD = self.epollFD
        do {
            _ = try syscallBlocking("epoll_ctl(ADD eventfd)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) }
            try startThread()
        } catch {
            _ = Glibc.close(wakeFD)
            _ = Glibc.close(epollFD)
            throw error
        }
    }

    private func startThread() throws(IOError) {
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let reactor = Unmanaged<Reactor>.fromOpaque(argument!).takeRetainedValue()
            reactor.name.withCString { klient_set_thread_name($0) }
            reactor.run()
            return nil
        }, box.toOpaque())
        if result != 0 {
            box.release()
            throw IOError(errno: result, operation: "start the reactor thread")
        }
        pthread_detach(thread)
    }

    func nextID() -> UInt64 {
        ids.add(1, ordering: .relaxed).newValue
    }

    // MARK: readiness

    /// Suspends until `fd` is readable (or has an error or hang-up pending).
    ///
    /// Call only after a non-blocking operation returned EAGAIN, then retry
    /// it: readiness is a hint, and a wake-up may be spurious.
    /// - Throws: `CancellationError` if the task is cancelled while waiting
    ///   (the wait is removed first); ``IOError/closed`` if the descriptor is
    ///   deregistered or the reactor shut down; ``IOError`` if epoll refuses it.
    public func waitReadable(_ fd: Int32) async throws {
        try await wait(fd, .read, handle: nil)
    }

    /// Suspends until `fd` is writable (or has an error or hang-up pending).
    /// Same contract and errors as ``waitReadable(_:)``.
    public func waitWritable(_ fd: Int32) async throws {
        try await wait(fd, .write, handle: nil)
    }

    /// Fails every pending wait on `fd` with ``IOError/closed`` and removes it
    /// from epoll. Call it before closing a descriptor you have waited on, so
    /// no waiter is left behind and a reused number starts clean.
    public func deregister(_ fd: Int32) {
        let waiters: [Waiter] = state.withLock { state in
            guard let registration = state.registrations.removeValue(forKey: fd) else { return [] }
            if registration.inEpoll {
                _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
            }
            return registration.readers + registration.writers
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: IOError.closed)
        }
    }

    /// Waits for `direction` on `fd`. When `handle` is given, the wait is
    /// refused once the handle is closing; the check happens under the same
    /// lock as `deregister`, so a close can never strand a waiter.
    func wait(_ fd: Int32, _ direction: Direction, handle: DescriptorHandle?) async throws {
        let id = nextID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let failure: (any Error)? = state.withLock { state -> (any Error)? in
                    if state.stopped { return IOError.closed("wait for descriptor \(fd): the reactor has shut down") }
                    if Task.isCancelled { return CancellationError() }
                    if let handle, handle.isClosing { return IOError.closed }
                    if state.registrations[fd] == nil {
                        state.nextGeneration &+= 1
                        state.registrations[fd] = Registration(generation: state.nextGeneration)
                    }
                    let waiter = Waiter(id: id, continuation: continuation)
                    switch direction {
                    case .read: state.registrations[fd]!.readers.append(waiter)
                    case .write: state.registrations[fd]!.writers.append(waiter)
                    }
                    do {
                        try arm(fd, &state.registrations[fd]!)
                        return nil
                    } catch {
                        switch direction {
                        case .read: state.registrations[fd]!.readers.removeAll { $0.id == id }
                        case .write: state.registrations[fd]!.writers.removeAll { $0.id == id }
                        }
                        return error
                    }
                }
                if let failure { continuation.resume(throwing: failure) }
            }
        } onCancel: {
            let cancelled: Waiter? = state.withLock { state in
                guard var registration = state.registrations[fd] else { return nil }
                var found: Waiter?
                if let index = registration.readers.firstIndex(where: { $0.id == id }) {
                    found = registration.readers.remove(at: index)
                } else if let index = registration.writers.firstIndex(where: { $0.id == id }) {
                    found = registration.writers.remove(at: index)
                }
                // Leave epoll armed: a report without waiters is simply dropped.
                if found != nil { state.registrations[fd] = registration }
                return found
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Arms epoll for the registration's waiters (one-shot); called under the lock.
    private func arm(_ fd: Int32, _ registration: inout Registration) throws(IOError) {
        let wanted = registration.wanted
        guard wanted != 0, wanted != registration.armed else { return }
        var event = epoll_event()
        event.events = wanted | EPOLLONESHOT.rawValue
        event.data.u64 = UInt64(registration.generation) << 32 | UInt64(UInt32(bitPattern: fd))
        var operation = registration.inEpoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD
        while true {
            if epoll_ctl(epollFD, operation, fd, &event) == 0 { break }
            let code = errno
            // A descriptor closed without deregister leaves epoll silently; a
            // reused number may be (or not be) in the set already.
            if code == ENOENT, operation == EPOLL_CTL_MOD { operation = EPOLL_CTL_ADD; continue }
            if code == EEXIST, operation == EPOLL_CTL_ADD { operation = EPOLL_CTL_MOD; continue }
            if code == EINTR { continue }
            throw IOError(errno: code, operation: "watch descriptor \(fd) with epoll")
        }
        registration.inEpoll = true
        registration.armed = wanted
    }

    // MARK: wake-ups

    /// Interrupts epoll_wait; called outside the lock.
    func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    /// Stops the reactor thread: pending waits and sleeps fail with
    /// ``IOError/closed`` and later ones fail immediately. Must not be called
    /// on ``shared``.
    public func shutdown() {
        precondition(self !== Reactor.shared, "the shared reactor cannot be shut down")
        let alreadyStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        if !alreadyStopped { wake() }
    }

    // MARK: the loop

    private func run() {
        let capacity: Int32 = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(capacity))
        defer { events.deallocate() }
        var ready: [CheckedContinuation<Void, any Error>] = []
        var failed: [(CheckedContinuation<Void, any Error>, any Error)] = []
        ready.reserveCapacity(Int(capacity))

        while true {
            let (timeout, stop) = state.withLock { state -> (Int32, Bool) in
                if state.stopped { return (0, true) }
                collectExpiredTimers(&state, into: &ready)
                state.wakePending = false
                if !ready.isEmpty {
                    // Resume these first, then poll without sleeping.
                    state.isPolling = false
                    return (0, false)
                }
                state.isPolling = true
                state.pollingUntil = state.heap.first?.deadline
                guard let deadline = state.pollingUntil else { return (-1, false) }
                return (Reactor.milliseconds(until: deadline), false)
            }
            if stop { break }
            for continuation in ready { continuation.resume() }
            ready.removeAll(keepingCapacity: true)

            let count = epoll_wait(epollFD, events, capacity, timeout)
            if count < 0 && errno != EINTR {
                fatalError("epoll_wait failed in reactor \(name): \(IOError(errno: errno, operation: "epoll_wait"))")
            }

            state.withLock { state in
                state.isPolling = false
                for index in 0..<Int(max(count, 0)) {
                    let event = events[index]
                    if event.data.u64 == Reactor.wakeToken {
                        var value: UInt64 = 0
                        _ = Glibc.read(wakeFD, &value, MemoryLayout<UInt64>.size)
                        continue
                    }
                    let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: event.data.u64))
                    let generation = UInt32(truncatingIfNeeded: event.data.u64 >> 32)
                    guard var registration = state.registrations[fd],
                          registration.generation == generation else { continue }
                    registration.armed = 0
                    let flags = event.events
                    let errorOrHangUp = EPOLLERR.rawValue | EPOLLHUP.rawValue
                    if flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | errorOrHangUp) != 0 {
                        for waiter in registration.readers { ready.append(waiter.continuation) }
                        registration.readers.removeAll(keepingCapacity: true)
                    }
                    if flags & (EPOLLOUT.rawValue | errorOrHangUp) != 0 {
                        for waiter in registration.writers { ready.append(waiter.continuation) }
                        registration.writers.removeAll(keepingCapacity: true)
                    }
                    do {
                        try arm(fd, &registration)
                    } catch {
                        for waiter in registration.readers + registration.writers {
                            failed.append((waiter.continuation, error))
                        }
                        registration.readers.removeAll()
                        registration.writers.removeAll()
                    }
                    state.registrations[fd] = registration
                }
                collectExpiredTimers(&state, into: &ready)
            }
            for continuation in ready { continuation.resume() }
            ready.removeAll(keepingCapacity: true)
            for (continuation, error) in failed { continuation.resume(throwing: error) }
            failed.removeAll()
        }

        // Shut down: fail everything still waiting, then release the descriptors.
        let (waiters, timers) = state.withLock { state in
            defer {
                state.registrations.removeAll()
                state.timers.removeAll()
            }
            return (state.registrations.values.flatMap { $0.readers + $0.writers }, Array(state.timers.values))
        }
        let error = IOError.closed("wait on reactor \(name): it has shut down")
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
        for timer in timers { timer.resume(throwing: error) }
        _ = Glibc.close(wakeFD)
        _ = Glibc.close(epollFD)
    }

    /// Rounds up so the reactor never wakes before a deadline.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }
}
