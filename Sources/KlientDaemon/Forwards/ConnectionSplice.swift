import Klient
import KlientIO
import Synchronization

/// Copies bytes both ways between a local client and a connection to the pod
/// until both directions end.
///
/// Each direction reads one chunk and writes it before reading the next, so
/// a slow reader on either side slows its writer (memory per connection is
/// bounded by two chunks plus the replay buffer). End of stream on one side
/// half-closes the other (a FIN through a tunnel). Channel mode has no
/// half-close: after the client's EOF the pod's answer still flows, and the
/// connection ends when the pod closes it or has been silent for
/// ``halfCloseLinger``. An error on either side closes both.
///
/// **Stale connections are replaced, not passed on.** A pooled connection can
/// die in the instant it is handed out (its pod is being deleted). When the
/// pod side ends before sending a single byte while the client is still
/// sending, the client's bytes so far (at most ``replayLimit``) are sent
/// again on a fresh connection, as HTTP clients retry a request on a
/// keep-alive connection the server had closed. Once the pod has answered,
/// the client has half-closed, or it sent more than the limit, the
/// connection is what it is.
final class ConnectionSplice: Sendable {
    static let replayLimit = 64 * 1024
    /// Channel mode cannot tell the pod that the client finished sending:
    /// after the client's EOF the connection ends once the pod has been
    /// silent this long (or closes it itself).
    static let halfCloseLinger: Duration = .seconds(2)
    static let maxReplacements = 5

    private struct State {
        var remote: ReadyConnection
        /// What the client sent so far, while a replacement is still possible.
        var replay: [UInt8]? = []
        var localEnded = false
        /// Bytes from the pod so far (the linger after a client's EOF watches it).
        var podBytes = 0
        var replacements = 0
    }

    private let local: Socket
    private let state: Mutex<State>
    /// Held while writing to the pod, and while switching to a replacement.
    private let writeLock = AsyncLock()
    private let status: ForwardStatus
    private let replace: @Sendable () async throws -> ReadyConnection
    private let release: @Sendable (ReadyConnection) -> Void

    /// - Parameters:
    ///   - replace: a fresh connection to the pod (same port).
    ///   - release: called for every pod connection once it is done with.
    init(local: Socket, remote: ReadyConnection, status: ForwardStatus,
         replace: @escaping @Sendable () async throws -> ReadyConnection,
         release: @escaping @Sendable (ReadyConnection) -> Void) {
        self.local = local
        self.state = Mutex(State(remote: remote))
        self.status = status
        self.replace = replace
        self.release = release
    }

    private var remote: ReadyConnection { state.withLock { $0.remote } }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.podToLocal() }
            group.addTask { await self.localToPod() }
        }
        local.close()
        let last = remote
        last.stream.close()
        release(last)
    }

    private func closeBoth() {
        local.close()
        remote.stream.close()
    }

    private func podToLocal() async {
        var connection = remote
        var result = await connection.firstRead()
        while true {
            switch result {
            case .success(let bytes) where !bytes.isEmpty:
                state.withLock { $0.replay = nil } // the pod answered: no replacing from now on
                do { try await local.write(bytes) } catch {
                    closeBoth()
                    return
                }
                state.withLock { $0.podBytes += bytes.count }
                status.addBytesIn(bytes.count)
            case .success, .failure:
                if let fresh = await replacement(for: connection) {
                    connection = fresh
                    result = await fresh.firstRead()
                    continue
                }
                if case .success = result {
                    try? await local.shutdownWrite()
                } else {
                    closeBoth()
                }
                return
            }
            do { result = .success(try await connection.stream.read(maxBytes: ReadyConnection.chunkSize)) } catch {
                result = .failure(error)
            }
        }
    }

    /// When the pod side ended before answering: a new connection with the
    /// client's bytes sent again, or nil when that is not possible.
    private func replacement(for dead: ReadyConnection) async -> ReadyConnection? {
        // A client that already finished sending (a fire-and-forget protocol)
        // and a server that then closes is a normal ending, not a stale connection.
        let attempt = state.withLock { s -> Int? in
            guard s.replay != nil, !s.localEnded, s.replacements < Self.maxReplacements else { return nil }
            s.replacements += 1
            return s.replacements
        }
        guard let attempt else { return nil }
        dead.stream.close()
        // Give the pool a moment to notice its other connections to a dying pod.
        try? await Task.sleep(for: .milliseconds(50 * attempt))
        guard let fresh = try? await replace() else { return nil }
        do {
            try await writeLock.lock()
        } catch {
            fresh.stream.close()
            release(fresh)
            return nil
        }
        defer { writeLock.unlock() }
        let (replay, localEnded) = state.withLock { s -> ([UInt8]?, Bool) in
            s.remote = fresh
            return (s.replay, s.localEnded)
        }
        release(dead)
        guard let replay else { return nil }
        do {
            if !replay.isEmpty { try await fresh.stream.write(replay) }
            if localEnded { try await fresh.stream.shutdownWrite() }
        } catch {
            return nil
        }
        return fresh
    }

    /// After the client's EOF on a connection without half-close: wait while
    /// the pod keeps sending, then end the connection (a client that closed
    /// and a pod waiting for more input would otherwise hold it forever).
    private func linger() async {
        var seen = state.withLock { $0.podBytes }
        while true {
            try? await Task.sleep(for: Self.halfCloseLinger)
            let now = state.withLock { $0.podBytes }
            if now == seen { break }
            seen = now
        }
        closeBoth()
    }

    private func localToPod() async {
        while true {
            let bytes: [UInt8]
            do { bytes = try await local.read(maxBytes: ReadyConnection.chunkSize) } catch {
                closeBoth()
                return
            }
            do { try await writeLock.lock() } catch { return }
            let target = state.withLock { s -> ReadyConnection in
                if bytes.isEmpty { s.localEnded = true }
                if s.replay != nil {
                    if s.replay!.count + bytes.count <= Self.replayLimit { s.replay! += bytes } else { s.replay = nil }
                }
                return s.remote
            }
            do {
                if bytes.isEmpty { try await target.stream.shutdownWrite() } else { try await target.stream.write(bytes) }
            } catch {
                // A dead pod connection: the other direction notices and
                // replaces it (replaying these bytes) or gives up.
                if state.withLock({ $0.replay == nil }) {
                    writeLock.unlock()
                    closeBoth()
                    return
                }
            }
            writeLock.unlock()
            if bytes.isEmpty {
                if target.stream is PortForwardChannel { await linger() } // no half-close in channel mode
                return
            }
            status.addBytesOut(bytes.count)
        }
    }
}
