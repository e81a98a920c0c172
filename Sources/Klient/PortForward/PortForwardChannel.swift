import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// One TCP connection to a pod port in channel mode (`v4.channel.k8s.io`):
/// bytes on data channel 0, the kubelet's error text on channel 1.
///
/// Open it with ``KubernetesClient/openPortForwardChannel(namespace:pod:port:options:)``.
/// A reader task moves the pod's bytes into a bounded inbox as they arrive,
/// so bytes the pod sent before the first ``read(maxBytes:)`` (a server
/// banner) are kept and returned by it; when the inbox is full the reader
/// waits and TCP backpressure reaches the server.
///
/// One reader and one writer may use it at once (the ``ByteStream`` contract).
/// Channel mode has no half-close, so ``shutdownWrite()`` does nothing; the
/// connection ends when the pod closes (``read(maxBytes:)`` returns `[]`) or
/// on ``close()``. Dropping the last reference closes it.
public final class PortForwardChannel: ByteStream {
    /// The pod port this connection reaches.
    public let port: UInt16

    private let socket: WebSocket
    private let inbox: AsyncBoundedChannel<[UInt8]>
    private let lifecycle: Lifecycle
    /// The unread rest of the last inbox element (touched by the one reader only).
    private let pending = Mutex(PendingChunk())
    /// Largest data message sent; big writes are split.
    private static let maxMessagePayload = 256 * 1024

    private final class Lifecycle: Sendable {
        let state = Mutex<(closedByClient: Bool, readerEnded: Bool)>((false, false))
        let reader = Mutex<Task<Void, Never>?>(nil)
    }

    /// Reads messages until both port announcements arrived, then starts the reader.
    static func open(socket: WebSocket, port: UInt16, options: PortForwardOptions) async throws -> PortForwardChannel {
        var state = PortForwardChannelState(ports: [port])
        var early: [UInt8] = []
        var remote: String?
        while !state.allAnnounced {
            guard let message = try await socket.receive() else {
                let why = socket.closeReason?.endDescription ?? "the WebSocket ended"
                throw PortForwardError.closed("\(why) before both channels announced port \(port)")
            }
            switch try classify(message, state: &state, port: port) {
            case .nothing: break
            case .data(let bytes): early.append(contentsOf: bytes)
            case .error(let text): remote = remote ?? text
            }
        }
        return PortForwardChannel(socket: socket, port: port, state: state, early: early, remote: remote,
                                  capacity: max(1, options.streamInboxCapacity))
    }

    private init(socket: WebSocket, port: UInt16, state: PortForwardChannelState, early: [UInt8], remote: String?,
                 capacity: Int) {
        self.port = port
        self.socket = socket
        inbox = AsyncBoundedChannel(capacity: capacity)
        lifecycle = Lifecycle()
        if !early.isEmpty { pending.withLock { $0.set(early) } }
        if let remote { inbox.finish(throwing: PortForwardError.remote(port: port, message: remote)) }
        let task = Task { [socket, inbox, lifecycle] in
            await Self.readLoop(socket: socket, inbox: inbox, state: state, port: port)
            lifecycle.state.withLock { $0.readerEnded = true }
        }
        lifecycle.reader.withLock { $0 = task }
    }

    deinit { close() }

    /// True once the WebSocket has ended or ``close()`` was called.
    public var isClosed: Bool {
        lifecycle.state.withLock { $0.closedByClient || $0.readerEnded }
    }

    /// Returns once the WebSocket has ended: the pod or server closed it, the
    /// ping deadline passed (``PortForwardOptions/inactivityTimeout``), a
    /// protocol violation, or ``close()``. While the inbox is full the end is
    /// noticed only after the reader takes more.
    public func closed() async {
        let task = lifecycle.reader.withLock { $0 }
        await task?.value
    }

    /// Bytes from the pod, at most `maxBytes`; `[]` once the pod closed its
    /// connection (the server closed the WebSocket with code 1000).
    /// - Throws: ``PortForwardError/remote(port:message:)`` when the error
    ///   channel carried text (after the data that came before it);
    ///   ``PortForwardError/closed(_:)`` when the connection ended abnormally
    ///   or was closed by ``close()``; ``PortForwardError/protocolViolation(_:)``.
    public func read(maxBytes: Int) async throws -> [UInt8] {
        precondition(maxBytes > 0, "read(maxBytes:) needs a positive maxBytes")
        while true {
            let chunk = pending.withLock { $0.take(maxBytes: maxBytes) }
            if let chunk { return chunk }
            guard let bytes = try await inbox.receive() else { return [] }
            pending.withLock { $0.set(bytes) }
        }
    }

    /// Sends `bytes` to the pod on data channel 0 (in messages of at most 256 KiB).
    /// - Throws: ``PortForwardError/closed(_:)`` once the WebSocket is closing.
    public func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + Self.maxMessagePayload, bytes.count)
            var message = [UInt8]()
            message.reserveCapacity(end - offset + 1)
            message.append(KubernetesPortForward.dataChannel(forPortIndex: 0))
            message.append(contentsOf: bytes[offset..<end])
            do {
                try await socket.send(binary: message)
            } catch let error as WebSocketClosedError {
                throw PortForwardError.closed(error.reason?.endDescription ?? "the WebSocket is closed")
            }
            offset = end
        }
    }

    /// Does nothing: channel mode cannot half-close (the kubelet's WebSocket
    /// protocol has no per-channel close). Use a tunnel for real half-close.
    public func shutdownWrite() async throws {}

    /// Closes the WebSocket (code 1000, in the background) and ends pending
    /// and later reads with ``PortForwardError/closed(_:)``. Idempotent.
    public func close() {
        let first = lifecycle.state.withLock { state in
            defer { state.closedByClient = true }
            return !state.closedByClient
        }
        guard first else { return }
        inbox.finish(throwing: PortForwardError.closed("closed by this client"))
        let socket = self.socket
        Task { await socket.close(code: .normalClosure) }
    }

    // MARK: - Reading

    enum Incoming: Equatable {
        case nothing
        case data([UInt8])
        case error(String)
    }

    /// Classifies one message of a one-port channel-mode session.
    /// - Throws: ``PortForwardError/protocolViolation(_:)`` for a TEXT message,
    ///   a bad announcement, or a channel other than 0 and 1.
    static func classify(_ message: WebSocketMessage, state: inout PortForwardChannelState,
                         port: UInt16) throws(PortForwardError) -> Incoming {
        let payload: [UInt8]
        switch message {
        case .binary(let bytes): payload = bytes
        case .text: throw .protocolViolation("a TEXT message on a v4.channel.k8s.io port-forward (binary only)")
        case .ping, .pong, .close: return .nothing
        }
        guard let channel = payload.first else { return .nothing } // empty messages are skipped, as the API server does
        let event: PortForwardChannelState.Event
        do {
            event = try state.receive(channel: channel, payload: Array(payload[1...]))
        } catch {
            throw .protocolViolation(error.description)
        }
        switch event {
        case .announced: return .nothing
        case .data(_, let bytes): return bytes.isEmpty ? .nothing : .data(bytes)
        case .error(_, let text): return text.isEmpty ? .nothing : .error(String(decoding: text, as: UTF8.self))
        case .ignored(let channel):
            throw .protocolViolation("a message on channel \(channel); a one-port session has only channels 0 and 1")
        }
    }

    private static func readLoop(socket: WebSocket, inbox: AsyncBoundedChannel<[UInt8]>,
                                 state: PortForwardChannelState, port: UInt16) async {
        var state = state
        while true {
            let message: WebSocketMessage?
            do {
                message = try await socket.receive()
            } catch {
                inbox.finish(throwing: PortForwardError.closed("the WebSocket failed: \(error)"))
                return
            }
            guard let message else {
                let reason = socket.closeReason
                if reason?.isNormalEnd == true {
                    inbox.finish()
                } else {
                    inbox.finish(throwing: PortForwardError.closed(reason?.endDescription ?? "the WebSocket ended"))
                }
                return
            }
            do {
                switch try classify(message, state: &state, port: port) {
                case .nothing:
                    break
                case .data(let bytes):
                    // Fails once the inbox is finished (closed, or after a remote error): drop.
                    try? await inbox.send(bytes)
                case .error(let text):
                    inbox.finish(throwing: PortForwardError.remote(port: port, message: text))
                }
            } catch {
                inbox.finish(throwing: error)
                await socket.close(code: .protocolError, reason: "port-forward protocol violation")
                return
            }
        }
    }
}
