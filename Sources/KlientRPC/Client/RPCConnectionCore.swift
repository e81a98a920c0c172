import KlientIO
import KlientWire
import Synchronization

/// The state an ``RPCClient`` shares with its reader task: calls waiting for
/// their responses, the write lock, the notification stream.
///
/// Kept apart from `RPCClient` so the reader task does not keep the client
/// alive: dropping the client closes the connection.
final class RPCConnectionCore: Sendable {
    /// A call's place in the table, from before its request is written until
    /// its response is taken.
    private enum Slot {
        /// Request written (or being written); nobody waits yet.
        case sent
        /// The caller is suspended here.
        case waiting(CheckedContinuation<JSONValue, any Error>)
        /// The response came before the caller started waiting.
        case done(Result<JSONValue, any Error>)
    }

    private struct State {
        var lastID: Int64 = 0
        var pending: [RPCID: Slot] = [:]
        /// Set once, when the connection ends; later calls fail with it.
        var failure: (any Error)?
    }

    let socket: Socket
    private let writeLock = AsyncLock()
    private let state = Mutex(State())
    private let notifications: AsyncStream<RPCNotification>.Continuation

    init(socket: Socket, notifications: AsyncStream<RPCNotification>.Continuation) {
        self.socket = socket
        self.notifications = notifications
    }

    // MARK: Calls

    /// Allocates an id and its slot.
    /// - Throws: the connection's failure once it has ended.
    func register() throws -> RPCID {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            state.lastID += 1
            let id = RPCID.number(state.lastID)
            state.pending[id] = .sent
            return id
        }
    }

    /// Forgets a call whose request could not be sent.
    func unregister(_ id: RPCID) {
        _ = state.withLock { $0.pending.removeValue(forKey: id) }
    }

    /// Writes whole lines, one writer at a time. The write runs in its own
    /// task so cancelling a caller cannot cut a line in half. `descriptors`
    /// travel with the line's first byte (SCM_RIGHTS).
    func send(_ line: [UInt8], descriptors: [Int32] = []) async throws {
        let socket = socket
        let writeLock = writeLock
        do {
            try await Task {
                try await writeLock.withLock {
                    if descriptors.isEmpty {
                        try await socket.write(line)
                    } else {
                        try await socket.sendFileDescriptors(descriptors, bytes: line)
                    }
                }
            }.value
        } catch {
            // A partly written line leaves the stream unusable.
            shutdown(with: RPCClientError.connectionFailed(String(describing: error)))
            throw state.withLock { $0.failure } ?? error
        }
    }

    /// Waits for the response to `id`.
    /// - Throws: ``RPCError`` from klientd, the connection's failure, or
    ///   `CancellationError` (a late response is then dropped).
    func response(to id: RPCID) async throws -> JSONValue {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
                let ready: Result<JSONValue, any Error>? = state.withLock { state in
                    switch state.pending[id] {
                    case .sent?:
                        state.pending[id] = .waiting(continuation)
                        return nil
                    case .done(let result)?:
                        state.pending[id] = nil
                        return result
                    case .waiting?, nil:
                        // Cancelled before waiting began.
                        return .failure(CancellationError())
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let slot = state.withLock { $0.pending.removeValue(forKey: id) }
            if case .waiting(let continuation)? = slot { continuation.resume(throwing: CancellationError()) }
        }
    }

    // MARK: Reading

    /// Reads lines until the connection ends, routing responses by id and
    /// passing notifications on. A half-received last line is dropped.
    func readLoop() async {
        var decoder = JSONLineDecoder(maxLineLength: RPCProtocol.maxLineLength)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { buffer.deallocate() }
        do {
            while true {
                let count = try await socket.read(into: buffer)
                if count == 0 {
                    shutdown(with: RPCClientError.connectionClosed)
                    return
                }
                decoder.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                while let line = try decoder.next() {
                    if !handle(line) { return }
                }
            }
        } catch let error as JSONLineError {
            shutdown(with: RPCClientError.protocolViolation(error.description))
        } catch {
            shutdown(with: RPCClientError.connectionFailed(String(describing: error)))
        }
    }

    /// Acts on one line; false when the connection was given up.
    private func handle(_ line: [UInt8]) -> Bool {
        switch RPCCodec.decode(line) {
        case .success(.response(let response)):
            guard let id = response.id else {
                // klientd could not read one of our requests and cannot say which:
                // no pending call can be trusted to get its answer.
                if case .failure(let error) = response.result {
                    shutdown(with: error)
                } else {
                    shutdown(with: RPCClientError.protocolViolation("a result with a null id"))
                }
                return false
            }
            deliver(response.result.mapError { $0 as any Error }, to: id)
        case .success(.notification(let notification)):
            notifications.yield(notification)
        case .success(.request(let request)):
            // Clients serve no methods; answer so the daemon is not left waiting.
            if let id = request.id {
                let reply = RPCCodec.encode(.response(.failure(id: id, .methodNotFound(request.method))))
                Task { try? await self.send(reply) }
            }
        case .failure(let failure):
            shutdown(with: RPCClientError.protocolViolation(failure.error.message))
            return false
        }
        return true
    }

    private func deliver(_ result: Result<JSONValue, any Error>, to id: RPCID) {
        let waiter: CheckedContinuation<JSONValue, any Error>? = state.withLock { state in
            switch state.pending[id] {
            case .sent?:
                state.pending[id] = .done(result)
                return nil
            case .waiting(let continuation)?:
                state.pending[id] = nil
                return continuation
            case .done?, nil:
                return nil // a duplicate, or the caller was cancelled
            }
        }
        waiter?.resume(with: result)
    }

    // MARK: Ending

    /// Ends the connection (first error wins): fails every pending and
    /// future call, finishes the notification stream, closes the socket.
    func shutdown(with error: any Error) {
        let waiters: [CheckedContinuation<JSONValue, any Error>] = state.withLock { state in
            if state.failure == nil { state.failure = error }
            let failure = state.failure!
            var waiters: [CheckedContinuation<JSONValue, any Error>] = []
            for (id, slot) in state.pending {
                switch slot {
                case .waiting(let continuation):
                    waiters.append(continuation)
                    state.pending[id] = nil
                case .sent:
                    state.pending[id] = .done(.failure(failure))
                case .done:
                    break
                }
            }
            return waiters
        }
        let failure = state.withLock { $0.failure! }
        for waiter in waiters { waiter.resume(throwing: failure) }
        notifications.finish()
        socket.close()
    }
}
