import KlientIO
import KlientWire
import Synchronization

/// The connection logic behind ``WebSocket``. Its tasks hold the session, not
/// the public handle, so dropping the handle can end the connection.
final class WebSocketSession: Sendable {
    typealias Configuration = WebSocket.Configuration
    typealias CloseReason = WebSocket.CloseReason
    let role: WebSocketRole
    /// The negotiated subprotocol, if any.
    let subprotocol: String?
    let configuration: Configuration

    private let stream: any ByteStream
    private let encoder: WebSocketFrameEncoder
    private let writeLock = AsyncLock()
    private let machine: Mutex<WebSocketConnectionStateMachine>
    private let inbox: AsyncBoundedChannel<WebSocketMessage>
    private let pongWaiters = Mutex<[(payload: [UInt8], continuation: CheckedContinuation<Void, any Error>)]>([])
    private let tasks = Mutex<(reader: Task<Void, Never>?, pinger: Task<Void, Never>?)>((nil, nil))
    private let readSize = 256 * 1024

    /// Takes over `stream` after a completed handshake. `leftover` holds bytes
    /// that arrived together with the handshake (they belong to the first frames).
    init(stream: any ByteStream, role: WebSocketRole, subprotocol: String?,
                leftover: [UInt8] = [], configuration: Configuration = Configuration()) {
        self.stream = stream
        self.role = role
        self.subprotocol = subprotocol
        self.configuration = configuration
        self.encoder = WebSocketFrameEncoder(role: role)
        self.inbox = AsyncBoundedChannel(capacity: configuration.inboxCapacity)
        self.machine = Mutex(WebSocketConnectionStateMachine(
            role: role,
            configuration: .init(pingInterval: configuration.pingInterval,
                                 inactivityTimeout: configuration.inactivityTimeout,
                                 closeTimeout: configuration.closeTimeout),
            now: .now))
        let reader = Task { [self] in await readLoop(leftover: leftover) }
        let pinger: Task<Void, Never>? = configuration.pingInterval == nil && configuration.inactivityTimeout == nil
            ? nil : Task { [self] in await keepaliveLoop() }
        tasks.withLock { $0 = (reader, pinger) }
    }

    /// The handle was dropped: end the connection without a handshake.
    func abandon() {
        tasks.withLock { $0.pinger?.cancel() }
        stream.close()
    }

    // MARK: Receiving

    /// The next text or binary message; nil once the connection has closed
    /// (see ``closeReason``). Pings, pongs and Close frames are handled inside.
    /// - Throws: the `WebSocketProtocolError` or transport error that ended the
    ///   connection abnormally.
    func receive() async throws -> WebSocketMessage? {
        try await inbox.receive()
    }

    /// Why the connection ended, once it has.
    var closeReason: CloseReason? { machine.withLock { $0.closeReason } }

    // MARK: Sending

    /// Sends a text message.
    func send(text: String) async throws {
        try await sendData(opcode: .text, Array(text.utf8))
    }

    /// Sends a binary message.
    func send(binary: [UInt8]) async throws {
        try await sendData(opcode: .binary, binary)
    }

    /// Sends one message as several frames (RFC 6455 §5.4), one per element.
    func send(fragments: [[UInt8]], text: Bool = false) async throws {
        guard !fragments.isEmpty else { return }
        try ensureCanSend()
        var bytes: [UInt8] = []
        for (i, fragment) in fragments.enumerated() {
            fragment.withUnsafeBytes { payload in
                encoder.encode(fin: i == fragments.count - 1, opcode: i == 0 ? (text ? .text : .binary) : .continuation,
                               payload: payload, into: &bytes)
            }
        }
        try await write(bytes)
    }

    /// Sends a ping and waits for the matching pong.
    /// - Throws: `CancellationError` or the error that closed the connection.
    func ping(_ payload: [UInt8] = []) async throws {
        precondition(payload.count <= 125, "ping payloads are at most 125 bytes (RFC 6455 §5.5)")
        try ensureCanSend()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pongWaiters.withLock { $0.append((payload, continuation)) }
            Task { [self] in
                do { try await sendControl(.ping, payload) } catch { failPongWaiters(error) }
            }
        }
    }

    /// Starts the closing handshake and waits (up to `closeTimeout`) for the
    /// peer's Close, then closes the transport. Idempotent.
    func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async {
        let action = machine.withLock { $0.close(code: code, reason: reason, now: .now) }
        await perform(action)
        let reader = tasks.withLock { $0.reader }
        _ = try? await withTimeout(configuration.closeTimeout, "waiting for the peer's Close") {
            await reader?.value
        }
        shutdownTransport()
    }

    // MARK: - Internals

    private func ensureCanSend() throws {
        guard machine.withLock({ $0.canSendData }) else {
            throw WebSocketClosedError(reason: machine.withLock { $0.closeReason })
        }
    }

    private func sendData(opcode: WebSocketOpcode, _ payload: [UInt8]) async throws {
        try ensureCanSend()
        if role == .server && payload.count > 4096 {
            // Unmasked: send header and payload without copying the payload.
            let (header, _) = encoder.encodeHeader(opcode: opcode, payloadLength: payload.count)
            try await writeLock.lock()
            defer { writeLock.unlock() }
            return try await stream.write(contentsOf: [header, payload])
        }
        let bytes = payload.withUnsafeBytes { encoder.encode(opcode: opcode, payload: $0) }
        try await write(bytes)
    }

    private func sendControl(_ opcode: WebSocketOpcode, _ payload: [UInt8]) async throws {
        let bytes = payload.withUnsafeBytes { encoder.encode(opcode: opcode, payload: $0) }
        try await write(bytes)
    }

    private func write(_ bytes: [UInt8]) async throws {
        try await writeLock.lock()
        defer { writeLock.unlock() }
        try await stream.write(bytes)
    }

    private func readLoop(leftover: [UInt8]) async {
        var decoder = WebSocketMessageDecoder(role: role, maxFrameSize: configuration.maxFrameSize,
                                              maxMessageSize: configuration.maxMessageSize)
        decoder.append(leftover)
        var failure: (any Error)?
        loop: while true {
            do {
                while let message = try decoder.next() {
                    if case .pong(let payload) = message { resolvePong(payload) }
                    let action = machine.withLock { $0.receive(message) }
                    if await perform(action) { break loop }
                }
                let bytes = try await stream.read(maxBytes: readSize)
                if bytes.isEmpty {
                    machine.withLock { $0.transportClosed() }
                    break
                }
                machine.withLock { $0.bytesReceived(now: .now) }
                decoder.append(bytes)
            } catch let error as WebSocketProtocolError {
                failure = error
                await perform(machine.withLock { $0.receiveError(error) })
                break
            } catch {
                if machine.withLock({ $0.state }) != .closed {
                    failure = error
                    machine.withLock { $0.transportClosed() }
                }
                break
            }
        }
        shutdownTransport()
        failPongWaiters(WebSocketClosedError(reason: closeReason))
        inbox.finish(throwing: failure)
    }

    private func keepaliveLoop() async {
        while !Task.isCancelled {
            guard let deadline = machine.withLock({ $0.nextDeadline }) else { return }
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            let action = machine.withLock { $0.tick(now: .now) }
            if await perform(action) { return }
        }
    }

    /// Performs one state-machine action; returns true when the connection is finished.
    @discardableResult
    private func perform(_ action: WebSocketConnectionStateMachine.Action) async -> Bool {
        switch action {
        case .none:
            return false
        case .deliver(let message):
            // After our Close nobody may be reading: drop data, keep waiting for the peer's Close.
            if machine.withLock({ $0.state }) == .closing { return false }
            // A full inbox is the consumer's backpressure: do not count the wait as peer silence.
            machine.withLock { $0.deliveryBlocked(true, now: .now) }
            defer { machine.withLock { $0.deliveryBlocked(false, now: .now) } }
            do { try await inbox.send(message) } catch { return true }
            return false
        case .sendPong(let payload):
            try? await sendControl(.pong, payload)
            return false
        case .sendPing(let payload):
            try? await sendControl(.ping, payload)
            return false
        case .sendClose(let payload):
            try? await sendControl(.close, payload.encode())
            return false
        case .sendCloseAndDisconnect(let payload):
            try? await sendControl(.close, payload.encode())
            shutdownTransport()
            return true
        case .disconnect, .peerTimedOut:
            shutdownTransport()
            return true
        }
    }

    private func shutdownTransport() {
        stream.close()
        tasks.withLock { $0.pinger?.cancel() }
    }

    private func resolvePong(_ payload: [UInt8]) {
        let waiter = pongWaiters.withLock { waiters -> CheckedContinuation<Void, any Error>? in
            guard let i = waiters.firstIndex(where: { $0.payload == payload }) else { return nil }
            return waiters.remove(at: i).continuation
        }
        waiter?.resume()
    }

    private func failPongWaiters(_ error: any Error) {
        let waiters = pongWaiters.withLock { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for w in waiters { w.continuation.resume(throwing: error) }
    }
}
