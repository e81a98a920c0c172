#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Klient
import KlientIO
import KlientRPC
import Synchronization

/// One exec or attach session: the stream to the container and the client's
/// descriptors, with bytes pumped between them until the command ends.
///
/// Output is copied chunk by chunk: a chunk is written to the client's
/// descriptor before the next is taken from the session, so a slow reader
/// holds the session's bounded buffer full and backpressure reaches the
/// API server. stdin is read only when asked for; its end of file becomes a
/// v5 CLOSE. The outcome is set after the last output byte is written and
/// the descriptors are restored and closed.
final class ExecRun: DaemonSession {
    struct Spec: Sendable {
        var id: String
        var kind: String
        var context: String
        var namespace: String
        var pod: String
        var container: String?
        var command: [String]
        var stdin: Bool
        var tty: Bool
        var clientPID: Int32
        var startedAt: String
    }

    private struct State {
        var phase = "starting"
        var session: ExecSession?
        /// Why the session was ended from our side (session.stop, shutdown, the client left).
        var stopReason: String?
        var outputClosed = false
    }

    let spec: Spec
    let outcome = ExecOutcome()
    private let stdio: ClientStdio
    private let state = Mutex(State())
    private let bytesIn = Atomic<Int64>(0)
    private let bytesOut = Atomic<Int64>(0)
    private let onEnd: @Sendable (ExecRun, Result<ExecExitResult, RPCError>) -> Void
    /// Why ``stop()`` (session.stop, or the daemon's drain) ends the session.
    private let stopReason: @Sendable () -> String

    /// Read size for the client's stdin.
    static let stdinReadSize = 64 * 1024
    /// Output gathered per stream before the stream waits for the client's reader.
    static let outputBatchLimit = 512 * 1024

    init(spec: Spec, stdio: ClientStdio, stopReason: @escaping @Sendable () -> String,
         onEnd: @escaping @Sendable (ExecRun, Result<ExecExitResult, RPCError>) -> Void) {
        self.spec = spec
        self.stdio = stdio
        self.stopReason = stopReason
        self.onEnd = onEnd
    }

    var id: String { spec.id }

    var info: SessionInfo {
        let phase = state.withLock { $0.phase }
        var target = "pod/\(spec.pod)"
        if let container = spec.container { target += " -c \(container)" }
        if !spec.command.isEmpty { target += " -- " + spec.command.joined(separator: " ") }
        return SessionInfo(id: spec.id, kind: spec.kind, context: spec.context, namespace: spec.namespace, target: target,
                           state: phase, startedAt: spec.startedAt, clientPID: spec.clientPID,
                           bytesIn: bytesIn.load(ordering: .relaxed), bytesOut: bytesOut.load(ordering: .relaxed))
    }

    // MARK: Life cycle

    /// The stream to the container could not be opened: the descriptors are
    /// closed and the outcome is the error.
    func failedToOpen(_ error: RPCError) {
        stdio.close()
        finish(.failure(error))
    }

    /// Starts pumping bytes over `session`.
    func begin(_ session: ExecSession) {
        let stopped = state.withLock { state -> Bool in
            state.session = session
            guard state.stopReason == nil else { return true }
            state.phase = "ready"
            return false
        }
        if stopped {
            Task { await session.close() }
        }
        Task { await self.pump(session) }
    }

    /// Ends the session (session.stop, klientd stopping, the client gone) and
    /// waits until it has ended.
    func stop(reason: String) async {
        let session = state.withLock { state -> ExecSession? in
            if state.stopReason == nil { state.stopReason = reason }
            if state.phase != "starting" { state.phase = "stopping" }
            return state.session
        }
        if let session {
            await session.close()
            // Output still queued for a reader that does not read must not
            // hold the end up: klientd's copies of the descriptors close now.
            stdio.close()
            _ = await outcome.wait()
        }
    }

    func stop() async {
        await stop(reason: stopReason())
    }

    /// Passes a terminal size on; false when there is no terminal or the session is not running.
    func resize(_ size: TerminalSize) async -> Bool {
        guard spec.tty, outcome.current == nil, let session = state.withLock({ $0.session }) else { return false }
        do {
            try await session.resize(ExecTerminalSize(width: UInt16(size.width), height: UInt16(size.height)))
            return true
        } catch {
            return false
        }
    }

    // MARK: Pumps

    private func pump(_ session: ExecSession) async {
        let input: Task<Void, Never>? = stdio.stdin.map { stdin in
            Task { await self.pumpStdin(stdin.stream, to: session) }
        }
        async let out: Void = pumpOutput(session.stdout, to: stdio.stdout.stream, session: session)
        async let err: Void = pumpOutput(session.stderr, to: stdio.stderr?.stream, session: session)
        _ = await (out, err)
        let status: Result<ExecExitStatus, any Error>
        do {
            status = .success(try await session.exitStatus())
        } catch {
            status = .failure(error)
        }
        input?.cancel()
        _ = await input?.value
        await session.close()
        stdio.close()
        finish(result(status))
    }

    private func pumpOutput(_ output: ExecOutput, to stream: FileDescriptorStream?, session: ExecSession) async {
        guard let stream else {
            // Not wanted (stderr with a terminal): drain it so the other stream never waits.
            do { for try await chunk in output { bytesIn.add(Int64(chunk.count), ordering: .relaxed) } } catch {}
            return
        }
        let gathered = OutputCoalescer(limit: Self.outputBatchLimit)
        async let written: Bool = Self.write(gathered, to: stream)
        do {
            for try await chunk in output {
                bytesIn.add(Int64(chunk.count), ordering: .relaxed)
                guard await gathered.append(chunk) else { break }
            }
        } catch {
            // The session ended early (closed, broken); exitStatus() says why.
        }
        gathered.end()
        if await !written {
            // EPIPE and the like: nobody reads any more. Ending the session
            // stops the command's output for good.
            state.withLock { $0.outputClosed = true }
            await session.close()
        }
    }

    /// Writes batches until the output ends; false when a write failed.
    private static func write(_ gathered: OutputCoalescer, to stream: FileDescriptorStream) async -> Bool {
        var batch: [UInt8] = []
        while let next = await gathered.nextBatch(recycling: consume batch) {
            batch = next
            do {
                try await stream.write(batch)
            } catch {
                gathered.fail()
                return false
            }
        }
        return true
    }

    private func pumpStdin(_ stdin: FileDescriptorStream, to session: ExecSession) async {
        do {
            while !Task.isCancelled {
                let bytes = try await stdin.read(maxBytes: Self.stdinReadSize)
                if bytes.isEmpty {
                    // On v4 stdin cannot be half-closed: it stays open until the session ends.
                    if session.canCloseStdin { try await session.closeStdin() }
                    return
                }
                try await session.write(stdin: bytes)
                bytesOut.add(Int64(bytes.count), ordering: .relaxed)
            }
        } catch {
            // Cancelled at the end, the session closed, or stdin unreadable: stop reading.
        }
    }

    // MARK: Outcome

    private func result(_ status: Result<ExecExitStatus, any Error>) -> Result<ExecExitResult, RPCError> {
        let (stopReason, outputClosed) = state.withLock { ($0.stopReason, $0.outputClosed) }
        switch status {
        case .success(let exit):
            return .success(ExecExitResult(id: spec.id, end: ExecEnd.exited, exitCode: exit.code, message: exit.message))
        case .failure(let error as ExecError) where error.kind == .commandNotFound && stopReason == nil:
            // As shells and `docker exec` report a program that cannot be found.
            return .success(ExecExitResult(id: spec.id, end: ExecEnd.exited, exitCode: 127, message: error.message))
        case .failure(let error):
            if let stopReason {
                return .success(ExecExitResult(id: spec.id, end: ExecEnd.stopped, message: stopReason))
            }
            if outputClosed {
                return .success(ExecExitResult(id: spec.id, end: ExecEnd.outputClosed,
                                               message: "the reader of the output went away; the session was closed"))
            }
            return .failure(.application(.unavailable, "\(spec.kind) session \(spec.id) in pod \(spec.pod) broke: \(error)",
                                         details: ["id": .string(spec.id)]))
        }
    }

    private func finish(_ result: Result<ExecExitResult, RPCError>) {
        state.withLock { $0.phase = "stopping" }
        outcome.set(result)
        onEnd(self, result)
    }
}
