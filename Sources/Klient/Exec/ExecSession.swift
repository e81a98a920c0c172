import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// A running exec or attach over a WebSocket channel protocol
/// (`v5.channel.k8s.io`, or `v4.channel.k8s.io` from older servers).
///
/// Open one with ``KubernetesClient/openExec(namespace:pod:command:options:)``
/// or ``KubernetesClient/openAttach(namespace:pod:options:)``. One reader
/// task routes the server's messages by channel byte: 1 → ``stdout``,
/// 2 → ``stderr``, 3 (the Status) → ``exitStatus()``; unknown channels are
/// ignored. Each output stream buffers at most
/// ``ExecOptions/outputBufferMessages`` chunks: a consumer that does not keep
/// up stops the reader, and so TCP backpressure reaches the server. The two
/// streams share one connection, so **read both concurrently** (or do not
/// request the one you will not read): a full stream that nobody reads
/// stalls the other and ``exitStatus()``.
///
/// Writes (stdin, resize, CLOSE) may come from any task; the WebSocket
/// serialises frames. Pings go out every ``ExecOptions/pingInterval`` and
/// the session fails after ``ExecOptions/inactivityTimeout`` without any
/// bytes from the server (time spent waiting for a slow consumer does not
/// count). Dropping the last reference closes the session.
public final class ExecSession: Sendable {
    /// The negotiated subprotocol: `v5.channel.k8s.io` or `v4.channel.k8s.io`.
    public var subprotocol: String { proto.rawValue }
    /// Whether ``closeStdin()`` can half-close stdin: true on v5 only.
    public var canCloseStdin: Bool { proto.supportsHalfClose }
    /// The command's stdout (with a TTY: the terminal's output, stderr included).
    public let stdout: ExecOutput
    /// The command's stderr; ends at once when stderr was not requested or with a TTY.
    public let stderr: ExecOutput

    let proto: KubernetesChannelProtocol
    private let socket: WebSocket
    private let hasStdin: Bool
    private let hasTTY: Bool
    private let shared: Shared
    private let reader: Task<Void, Never>

    /// Largest stdin payload per message; bigger writes are split.
    static let maxStdinMessage = 256 * 1024
    /// The error channel carries one Status; more than this is a protocol violation.
    static let maxErrorChannelBytes = 1 << 20

    private final class Shared: Sendable {
        let state = Mutex<(stdinClosed: Bool, closedByClient: Bool)>((false, false))
        var closedByClient: Bool { state.withLock { $0.closedByClient } }
        /// The outcome once the reader ended, and the callers of exitStatus() waiting for it.
        let outcome = Mutex<(result: Result<ExecExitStatus, ExecError>?, waiters: [UInt64: CheckedContinuation<ExecExitStatus, any Error>], next: UInt64)>((nil, [:], 0))

        func finish(_ result: Result<ExecExitStatus, ExecError>) {
            let waiters = outcome.withLock { state in
                defer { state.waiters.removeAll() }
                state.result = result
                return Array(state.waiters.values)
            }
            for waiter in waiters { waiter.resume(with: result.mapError { $0 }) }
        }

        func wait() async throws -> ExecExitStatus {
            if let result = outcome.withLock({ $0.result }) { return try result.get() }
            let id = outcome.withLock { state in
                defer { state.next += 1 }
                return state.next
            }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ExecExitStatus, any Error>) in
                    let ready: Result<ExecExitStatus, ExecError>?? = outcome.withLock { state in
                        if let result = state.result { return .some(result) }
                        if Task.isCancelled { return .some(nil) }
                        state.waiters[id] = continuation
                        return nil
                    }
                    switch ready {
                    case .some(.some(let result)): continuation.resume(with: result.mapError { $0 })
                    case .some(.none): continuation.resume(throwing: CancellationError())
                    case .none: break
                    }
                }
            } onCancel: {
                let waiter = outcome.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume(throwing: CancellationError())
            }
        }
    }

    init(socket: WebSocket, proto: KubernetesChannelProtocol, options: ExecOptions) {
        self.socket = socket
        self.proto = proto
        hasStdin = options.stdin
        hasTTY = options.tty
        let capacity = max(1, options.outputBufferMessages)
        let out = AsyncBoundedChannel<[UInt8]>(capacity: capacity)
        let err = AsyncBoundedChannel<[UInt8]>(capacity: capacity)
        if !options.stdout { out.finish() }
        if !options.stderr || options.tty { err.finish() }
        stdout = ExecOutput(channel: out)
        stderr = ExecOutput(channel: err)
        let shared = Shared()
        self.shared = shared
        reader = Task {
            shared.finish(await Self.readLoop(socket: socket, proto: proto, stdout: out, stderr: err, shared: shared))
        }
    }

    deinit {
        guard markClosedByClient() else { return }
        let socket = self.socket
        Task { await socket.close(code: .normalClosure) }
    }

    // MARK: - Writing

    /// Sends `bytes` to the command's stdin (channel 0), in messages of at
    /// most 256 KiB. Returns when they were handed to the connection.
    /// - Throws: ``ExecError`` ``ExecError/Kind/other`` when the session was
    ///   opened without ``ExecOptions/stdin``; ``ExecError/Kind/closed`` after
    ///   ``closeStdin()``, ``close()`` or the end of the session.
    public func write(stdin bytes: [UInt8]) async throws {
        guard hasStdin else { throw ExecError(.other, "stdin was not requested for this session (set ExecOptions.stdin)") }
        let (stdinClosed, closed) = shared.state.withLock { ($0.stdinClosed, $0.closedByClient) }
        if stdinClosed || closed {
            throw ExecError(.closed, closed ? "the session was closed by this client" : "stdin was already closed")
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + Self.maxStdinMessage, bytes.count)
            try await send(Self.stdinMessage(bytes[offset..<end]), what: "stdin")
            offset = end
        }
    }

    /// Half-closes stdin: the command reads end-of-file. Sends the v5 CLOSE
    /// message `[0xFF, 0x00]`. Idempotent.
    ///
    /// - Throws: ``ExecError/Kind/stdinCloseUnsupported`` on a
    ///   `v4.channel.k8s.io` session: v4 has no half-close, so the command
    ///   never sees end-of-file on stdin (check ``canCloseStdin`` first);
    ///   ``ExecError/Kind/closed`` when the session has ended.
    public func closeStdin() async throws {
        guard hasStdin else { throw ExecError(.other, "stdin was not requested for this session (set ExecOptions.stdin)") }
        guard proto.supportsHalfClose else { throw Self.stdinCloseUnsupported(proto) }
        let first = shared.state.withLock { state in
            defer { state.stdinClosed = true }
            return !state.stdinClosed
        }
        guard first else { return }
        try await send(Self.stdinCloseMessage, what: "the stdin CLOSE")
    }

    /// The v5 CLOSE of stdin: `[0xFF, 0x00]`.
    static let stdinCloseMessage: [UInt8] = KubernetesChannelMessage.close(channel: KubernetesChannelID.stdin.rawValue)
        .encode(for: .v5).payload

    /// A resize message: `[0x04]` + `{"Width":W,"Height":H}\n` (kubectl's form).
    static func resizeMessage(_ size: ExecTerminalSize) -> [UInt8] {
        KubernetesChannelMessage.data(channel: KubernetesChannelID.resize.rawValue,
                                      payload: KubernetesTerminalSize(width: size.width, height: size.height).jsonBytes())
            .encode(for: .v5).payload
    }

    /// A stdin message: `[0x00]` + bytes.
    static func stdinMessage(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count + 1) { buffer, count in
            buffer[0] = KubernetesChannelID.stdin.rawValue
            _ = UnsafeMutableBufferPointer(rebasing: buffer[1...]).initialize(from: bytes)
            count = bytes.count + 1
        }
    }

    static func stdinCloseUnsupported(_ proto: KubernetesChannelProtocol) -> ExecError {
        ExecError(.stdinCloseUnsupported,
                  "the server speaks \(proto.rawValue), which cannot half-close stdin (v5.channel.k8s.io, "
                  + "Kubernetes ≥ 1.30, can): the command never sees end-of-file on stdin. Send input the command "
                  + "stops reading by itself, or end the session with close()")
    }

    /// Tells the TTY its new size (channel 4, `{"Width":W,"Height":H}\n`);
    /// the command sees it as with `stty size` or SIGWINCH. Does nothing for
    /// a session without ``ExecOptions/tty``.
    /// - Throws: ``ExecError/Kind/closed`` when the session has ended.
    public func resize(_ size: ExecTerminalSize) async throws {
        guard hasTTY else { return }
        try await send(Self.resizeMessage(size), what: "a resize")
    }

    private func send(_ message: [UInt8], what: String) async throws {
        do {
            try await socket.send(binary: message)
        } catch let error as WebSocketClosedError {
            let why = shared.closedByClient ? "it was closed by this client"
                : error.reason.map { $0.endDescription } ?? "the WebSocket is closed"
            throw ExecError(.closed, "cannot send \(what): the session has ended (\(why))")
        }
    }

    // MARK: - End

    /// How the command ended; waits for the end of the session (the Status
    /// on channel 3, then the server's close). Keep reading ``stdout`` and
    /// ``stderr`` meanwhile: a full output buffer stops the session.
    /// Cancelling the waiting task ends the wait (with `CancellationError`),
    /// not the session.
    /// - Throws: ``ExecError``: ``ExecError/Kind/commandNotFound`` when the
    ///   runtime could not start the command; ``ExecError/Kind/closed`` when
    ///   the connection ended without a Status (or ``close()`` was called);
    ///   ``ExecError/Kind/protocolViolation``; ``ExecError/Kind/other`` for
    ///   another failure Status.
    public func exitStatus() async throws -> ExecExitStatus {
        try await shared.wait()
    }

    /// Ends the session: closes the WebSocket (code 1000; the server then
    /// stops the command), ends both outputs with ``ExecError/Kind/closed``
    /// and makes ``exitStatus()`` throw it unless the Status already arrived.
    /// Idempotent.
    public func close() async {
        guard markClosedByClient() else {
            await reader.value
            return
        }
        await socket.close(code: .normalClosure)
        await reader.value
    }

    private func markClosedByClient() -> Bool {
        let first = shared.state.withLock { state in
            defer { state.closedByClient = true }
            return !state.closedByClient
        }
        if first {
            let error = ExecError(.closed, "the session was closed by this client")
            stdout.channel.finish(throwing: error)
            stderr.channel.finish(throwing: error)
        }
        return first
    }

    // MARK: - Reading

    private static func readLoop(socket: WebSocket, proto: KubernetesChannelProtocol,
                                 stdout: AsyncBoundedChannel<[UInt8]>, stderr: AsyncBoundedChannel<[UInt8]>,
                                 shared: Shared) async -> Result<ExecExitStatus, ExecError> {
        var errorChannel: [UInt8] = []
        var failure: ExecError?
        loop: while true {
            let message: WebSocketMessage?
            do {
                message = try await socket.receive()
            } catch {
                failure = ExecError(.closed, "the connection failed: \(error)")
                break
            }
            guard let message else { break }
            let payload: [UInt8]
            switch message {
            case .binary(let bytes): payload = bytes
            case .text:
                failure = ExecError(.protocolViolation, "a TEXT message on \(proto.rawValue), which is binary only")
                await socket.close(code: .protocolError, reason: "exec protocol violation")
                break loop
            case .ping, .pong, .close: continue
            }
            let decoded: KubernetesChannelMessage?
            do {
                decoded = try KubernetesChannelMessage.decode(payload, protocol: proto)
            } catch {
                failure = ExecError(.protocolViolation, "\(error)")
                await socket.close(code: .protocolError, reason: "exec protocol violation")
                break
            }
            switch decoded {
            case .data(channel: KubernetesChannelID.stdout.rawValue, let bytes):
                // Fails once the output was finished (closed by this client): drop.
                if !bytes.isEmpty { try? await stdout.send(bytes) }
            case .data(channel: KubernetesChannelID.stderr.rawValue, let bytes):
                if !bytes.isEmpty { try? await stderr.send(bytes) }
            case .data(channel: KubernetesChannelID.error.rawValue, let bytes):
                errorChannel.append(contentsOf: bytes)
                if errorChannel.count > maxErrorChannelBytes {
                    failure = ExecError(.protocolViolation, "the error channel carried more than \(maxErrorChannelBytes) bytes")
                    await socket.close(code: .protocolError, reason: "exec protocol violation")
                    break loop
                }
            case .close(channel: KubernetesChannelID.stdout.rawValue):
                stdout.finish()
            case .close(channel: KubernetesChannelID.stderr.rawValue):
                stderr.finish()
            default:
                continue // empty messages, unknown channels
            }
        }
        if shared.closedByClient && errorChannel.isEmpty {
            return .failure(ExecError(.closed, "the session was closed by this client before the command ended"))
        }
        if let failure {
            stdout.finish(throwing: failure)
            stderr.finish(throwing: failure)
            return .failure(failure)
        }
        // The Status comes before the close; with none, a normal close (1000) is success (client-go).
        if !errorChannel.isEmpty || socket.closeReason?.isNormalEnd == true {
            stdout.finish()
            stderr.finish()
            do {
                return .success(try ExecExitStatus.parse(errorChannel: errorChannel))
            } catch {
                return .failure(error)
            }
        }
        let ended = ExecError(.closed, "the session ended without an exit status: "
                              + (socket.closeReason?.endDescription ?? "the WebSocket ended"))
        stdout.finish(throwing: ended)
        stderr.finish(throwing: ended)
        return .failure(ended)
    }
}
