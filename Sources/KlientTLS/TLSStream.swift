import KlientIO
import Synchronization

/// TLS over any `ByteStream` (a socket, or an in-memory pair in tests).
///
/// Built by `client(over:...)` or `server(over:context:)`, which run the
/// handshake before returning. The TLS stream owns the underlying stream from
/// then on: `close()` closes it. If the handshake fails, the alert (if any)
/// has been sent and the caller still owns, and should close, the underlying stream.
///
/// Concurrency: one reader task and one writer task may use the stream at
/// once. The SSL object sits behind a mutex that is never held across an
/// `await`. Ciphertext is drained from OpenSSL under that mutex, so it comes
/// out in the order records were made, and a single flusher at a time writes
/// it to the underlying stream: a task that has ciphertext to send either
/// becomes the flusher or leaves it to the active one, which keeps draining
/// until nothing is left. Writers wait until their records are written
/// (backpressure); a reader that produced records (TLS 1.3 key updates) does not.
public final class TLSStream: ByteStream {
    /// What the handshake negotiated (version, cipher, ALPN, resumption, peer identity).
    public let handshakeInfo: TLSHandshakeInfo

    private let underlying: any ByteStream
    private let state: Mutex<State>

    /// Plaintext per SSL_write: four full records, so a 16 MiB write moves in
    /// steps whose ciphertext is written (and waited for) before the next.
    static let writeChunkSize = 256 * 1024
    /// Smallest ciphertext read from the underlying stream.
    static let minimumReadSize = 64 * 1024

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var connection: TLSConnection
        var flushing = false
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        /// Sticky: once a ciphertext write failed, the record stream is broken.
        var writeFailure: (any Error)?
        var closed = false

        func checkWritable() throws {
            if closed { throw TLSError(.closed, "write on a closed TLS stream") }
            if let writeFailure { throw writeFailure }
        }
    }

    private init(underlying: any ByteStream, connection: sending TLSConnection, info: TLSHandshakeInfo) {
        self.underlying = underlying
        self.handshakeInfo = info
        self.state = Mutex(State(connection: connection))
    }

    // MARK: Handshake

    /// Runs a client handshake over `stream` to `host` (DNS name or IP literal)
    /// and `port`, resuming a cached session of `context` when it has one.
    ///
    /// - Throws: `TLSError` saying which check failed (unknown authority,
    ///   hostname mismatch with the certificate's names, expiry, an alert
    ///   from the server), or `.unexpectedEOF` if the peer closed mid-handshake.
    public static func client(over stream: any ByteStream, context: TLSContext,
                              host: String, port: Int) async throws -> TLSStream {
        let connection = try TLSConnection.client(context: context, host: host, port: port)
        let info = try await handshake(connection, over: stream)
        return TLSStream(underlying: stream, connection: connection, info: info)
    }

    /// Like `client(over:context:host:port:)` with a context built for this
    /// connection only (so no session is resumed across calls).
    public static func client(over stream: any ByteStream, configuration: TLSConfiguration,
                              host: String, port: Int) async throws -> TLSStream {
        try await client(over: stream, context: TLSContext(configuration: configuration), host: host, port: port)
    }

    /// Runs a server handshake over `stream`.
    ///
    /// - Throws: `TLSError`, e.g. `.peerSentNoCertificate` when client
    ///   certificates are required and none came, or a verification error for
    ///   the client certificate.
    public static func server(over stream: any ByteStream, context: TLSContext) async throws -> TLSStream {
        let connection = try TLSConnection.server(context: context)
        let info = try await handshake(connection, over: stream)
        return TLSStream(underlying: stream, connection: connection, info: info)
    }

    private static func handshake(_ connection: TLSConnection, over stream: any ByteStream) async throws -> TLSHandshakeInfo {
        while true {
            let progress: TLSConnection.HandshakeProgress
            do {
                progress = try connection.handshake()
            } catch {
                // Best effort: tell the peer why (the alert), then half-close.
                let alert = connection.takeCiphertext()
                if !alert.isEmpty { try? await stream.write(alert) }
                try? await stream.shutdownWrite()
                throw error
            }
            let outbound = connection.takeCiphertext()
            if !outbound.isEmpty { try await stream.write(outbound) }
            if progress == .complete, let info = connection.handshakeInfo { return info }
            let inbound = try await stream.read(maxBytes: minimumReadSize)
            if inbound.isEmpty {
                throw TLSError(.unexpectedEOF, "the peer closed the connection during the TLS handshake"
                    + (connection.peerName.map { " (server \($0))" } ?? ""))
            }
            connection.feed(inbound)
        }
    }

    // MARK: ByteStream

    /// Reads decrypted bytes; returns `[]` once the peer sent close_notify.
    ///
    /// - Throws: `TLSError.unexpectedEOF` if the underlying stream ends without
    ///   close_notify (the data may be truncated), `.alertReceived` if the
    ///   peer aborted (e.g. a TLS 1.3 server rejecting our client certificate
    ///   after the handshake), or the underlying stream's error.
    public func read(maxBytes: Int) async throws -> [UInt8] {
        precondition(maxBytes > 0, "maxBytes must be positive")
        while true {
            let (result, hasOutbound) = try state.withLock { state in
                if state.closed { throw TLSError(.closed, "read on a closed TLS stream") }
                let result = try state.connection.readPlaintext(maxBytes: maxBytes)
                return (result, state.connection.pendingCiphertextCount > 0)
            }
            if hasOutbound {
                // Flushed in the background, never by the reader itself: the
                // pending ciphertext may be a writer's, and writing it waits
                // for the peer to read, while the peer may be waiting for us
                // to read (its writer stuck the same way): a deadlock of two
                // busy connections. A failure here breaks writes (sticky).
                Task { [self] in try? await flush(waitForCompletion: false) }
            }
            switch result {
            case .bytes(let bytes):
                return bytes
            case .closed:
                return []
            case .needsMoreData:
                let inbound: [UInt8]
                do {
                    inbound = try await underlying.read(maxBytes: max(Self.minimumReadSize, min(maxBytes, 256 * 1024)))
                } catch {
                    if state.withLock({ $0.closed }) { throw TLSError(.closed, "TLS stream closed while reading") }
                    throw error
                }
                if inbound.isEmpty {
                    throw TLSError(.unexpectedEOF,
                        "the peer closed the connection without TLS close_notify; the data may be truncated")
                }
                state.withLock { $0.connection.feed(inbound) }
            }
        }
    }

    /// Encrypts and writes every byte, in records of up to 16 KiB, returning
    /// once the ciphertext has been written to the underlying stream.
    ///
    /// - Throws: `TLSError.closed` after `shutdownWrite()` or `close()`, or the
    ///   underlying stream's write error (after which the stream cannot write).
    public func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + Self.writeChunkSize)
            try state.withLock { state in
                try state.checkWritable()
                try bytes.withUnsafeBytes { raw in
                    _ = try state.connection.writePlaintext(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
                }
            }
            offset = end
            try await flush(waitForCompletion: true)
        }
    }

    /// Writes `parts` as one byte sequence, encrypting the large final part in
    /// place instead of joining everything first (a WebSocket frame header
    /// plus its payload, for instance).
    public func write(contentsOf parts: [[UInt8]]) async throws {
        let total = parts.reduce(0) { $0 + $1.count }
        guard total <= Self.writeChunkSize, parts.count > 1 else {
            var joined: [UInt8] = []
            joined.reserveCapacity(total)
            for part in parts { joined.append(contentsOf: part) }
            return try await write(joined)
        }
        try state.withLock { state in
            try state.checkWritable()
            _ = try state.connection.writePlaintext(parts: parts)
        }
        try await flush(waitForCompletion: true)
    }

    /// Sends a TLS 1.3 KeyUpdate asking the peer to update its keys too
    /// (RFC 8446 §4.6.3), for very long-lived connections.
    ///
    /// - Throws: `TLSError` on TLS 1.2, after shutdown, or the underlying write error.
    public func updateKeys() async throws {
        try state.withLock { state in
            try state.checkWritable()
            try state.connection.requestKeyUpdate()
        }
        try await flush(waitForCompletion: true)
    }

    /// Sends close_notify, then half-closes the underlying stream. Reading
    /// continues to work until the peer closes its side.
    public func shutdownWrite() async throws {
        try state.withLock { state in
            if state.closed { throw TLSError(.closed, "shutdownWrite on a closed TLS stream") }
            if let failure = state.writeFailure { throw failure }
            state.connection.close()
        }
        try await flush(waitForCompletion: true)
        try await underlying.shutdownWrite()
    }

    /// Closes the underlying stream now (no close_notify: use `shutdownWrite`
    /// first for an orderly end). Idempotent; pending writers fail.
    public func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: TLSError(.closed, "TLS stream closed while writing"))
        }
        underlying.close()
    }

    // MARK: Ordered flushing

    /// Writes the pending ciphertext in order. With `waitForCompletion`,
    /// returns once everything pending at the time of the call is written;
    /// otherwise returns at once if another task is already flushing (it will
    /// write ours too).
    private func flush(waitForCompletion: Bool) async throws {
        let becomeFlusher = try state.withLock { state in
            if let failure = state.writeFailure { throw failure }
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        if becomeFlusher {
            try await drain()
        } else if waitForCompletion {
            try await waitForActiveFlusher()
        }
    }

    /// The flusher's loop: take everything pending under the lock, write it
    /// outside the lock, repeat until nothing is left, then release waiters.
    private func drain() async throws {
        while true {
            let (chunk, finished) = state.withLock { state -> ([UInt8], [Waiter]?) in
                let chunk = state.closed ? [] : state.connection.takeCiphertext()
                guard chunk.isEmpty else { return (chunk, nil) }
                state.flushing = false
                defer { state.waiters = [] }
                return ([], state.waiters)
            }
            if let finished {
                for waiter in finished { waiter.continuation.resume() }
                return
            }
            do {
                try await underlying.write(chunk)
            } catch {
                let waiters = state.withLock { state -> [Waiter] in
                    state.writeFailure = error
                    state.flushing = false
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.continuation.resume(throwing: error) }
                throw error
            }
        }
    }

    /// Suspends until the active flusher has written everything, including
    /// what this task queued. Cancellation resumes early with CancellationError;
    /// the bytes are still sent, in order.
    private func waitForActiveFlusher() async throws {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextWaiterID &+= 1 }
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case wait, done, failed(any Error) }
                let outcome = state.withLock { state -> Outcome in
                    if let failure = state.writeFailure { return .failed(failure) }
                    if state.closed { return .failed(TLSError(.closed, "TLS stream closed while writing")) }
                    // The flusher finished meanwhile: it wrote our bytes too.
                    if !state.flushing { return .done }
                    if Task.isCancelled { return .failed(CancellationError()) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .wait
                }
                switch outcome {
                case .wait: break
                case .done: continuation.resume()
                case .failed(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
