/// The session logic of one WebSocket connection (RFC 6455 §5.5, §7) as a
/// pure state machine: feed it events, perform the ``Action`` it returns.
/// No I/O and no clock: every time-dependent call takes `now`.
///
/// States: ``State/open`` → ``State/closing`` (we sent Close, waiting for the
/// peer's) → ``State/closed``. Rules:
/// - a ping is answered with a pong carrying the same payload (§5.5.2);
/// - we close: send Close, send no data afterwards (§5.5.1), wait up to
///   `closeTimeout` for the peer's Close, then close the transport;
/// - the peer closes: echo its code (an empty Close if it sent none) and
///   close the transport (§5.5.1);
/// - a protocol error: send Close with the error's mapped code and close the
///   transport (§7.1.7);
/// - keepalive: any inbound byte counts as liveness; ``tick(now:)`` asks for a
///   ping every `pingInterval` and reports the peer as timed out after
///   `inactivityTimeout` without inbound bytes.
public struct WebSocketConnectionStateMachine: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public enum State: Sendable, Hashable {
        case open
        /// We sent a Close frame and are waiting for the peer's.
        case closing
        case closed
    }

    /// Timer settings. Defaults follow client-go: ping every 5 s, give up
    /// after 61 s without inbound bytes; wait 5 s for a Close reply.
    public struct Configuration: Sendable, Hashable {
        /// Period between pings; nil disables pings.
        public var pingInterval: Duration?
        /// Silence after which the peer counts as gone; nil disables the check.
        public var inactivityTimeout: Duration?
        /// How long to wait for the peer's Close after sending ours.
        public var closeTimeout: Duration

        public init(pingInterval: Duration? = .seconds(5), inactivityTimeout: Duration? = .seconds(61),
                    closeTimeout: Duration = .seconds(5)) {
            self.pingInterval = pingInterval
            self.inactivityTimeout = inactivityTimeout
            self.closeTimeout = closeTimeout
        }
    }

    /// What the connection code must do next.
    public enum Action: Sendable, Hashable {
        case none
        /// Hand this text or binary message to the application.
        case deliver(WebSocketMessage)
        case sendPong([UInt8])
        case sendPing([UInt8])
        /// Send this Close frame, keep reading until the peer's Close arrives.
        case sendClose(WebSocketClosePayload)
        /// Send this Close frame, then close the transport.
        case sendCloseAndDisconnect(WebSocketClosePayload)
        /// Close the transport now (the closing handshake is complete or timed out).
        case disconnect
        /// No inbound bytes for `inactivityTimeout`: close the transport
        /// without a Close frame (RFC 6455 §7.1.7 "fail the connection").
        case peerTimedOut
    }

    /// Why the connection ended; set when the state becomes ``State/closed``
    /// (or, for our own close, when the peer's reply arrives).
    public enum CloseReason: Sendable, Hashable {
        /// The peer's Close frame (whether it initiated or replied).
        /// Kubernetes treats `.normalClosure` as EOF, anything else as failure.
        case peerClosed(code: WebSocketCloseCode?, reason: String)
        case protocolError(WebSocketProtocolError)
        case peerTimedOut
        /// We sent Close and no reply came within `closeTimeout`.
        case closeReplyTimedOut
        /// The transport ended without a Close frame (reported as 1006).
        case transportClosed
    }

    public let role: WebSocketRole
    public let configuration: Configuration
    public private(set) var state: State = .open
    public private(set) var closeReason: CloseReason?
    /// When the last inbound bytes arrived.
    public private(set) var lastInbound: Instant
    var lastPingSent: Instant
    var closeSentAt: Instant?
    /// The application's inbox is full: the reader waits for it, not for the
    /// peer, so silence is not a sign of a dead peer.
    public private(set) var isDeliveryBlocked = false
    var pingCounter: UInt64 = 0

    public init(role: WebSocketRole, configuration: Configuration = Configuration(), now: Instant) {
        self.role = role
        self.configuration = configuration
        lastInbound = now
        lastPingSent = now
    }

    /// Data frames may be sent only while open (RFC 6455 §5.5.1: nothing after our Close).
    public var canSendData: Bool { state == .open }

    /// Records liveness: call for every read that returned bytes.
    public mutating func bytesReceived(now: Instant) {
        lastInbound = now
    }

    /// The reader starts (true) or stops (false) waiting for the application
    /// to take a message. While it waits no bytes are read, so the inactivity
    /// timeout is suspended (a slow consumer is backpressure, not a dead peer)
    /// and restarts from `now` when the wait ends.
    public mutating func deliveryBlocked(_ blocked: Bool, now: Instant) {
        isDeliveryBlocked = blocked
        if !blocked { lastInbound = now }
    }

    /// A message from the ``WebSocketMessageDecoder``.
    public mutating func receive(_ message: WebSocketMessage) -> Action {
        switch (state, message) {
        case (.closed, _):
            return .none
        case (_, .text), (_, .binary):
            // In .closing the peer may still send data it wrote before seeing our Close.
            return .deliver(message)
        case (.open, .ping(let payload)):
            return .sendPong(payload)
        case (.closing, .ping), (_, .pong):
            return .none
        case (.open, .close(let code, let reason)):
            state = .closed
            closeReason = .peerClosed(code: code, reason: reason)
            // Echo the status code; the reason is not repeated.
            return .sendCloseAndDisconnect(WebSocketClosePayload(code: code))
        case (.closing, .close(let code, let reason)):
            state = .closed
            closeReason = .peerClosed(code: code, reason: reason)
            return .disconnect
        }
    }

    /// We start the closing handshake. Ignored unless open.
    public mutating func close(code: WebSocketCloseCode = .normalClosure, reason: String = "", now: Instant) -> Action {
        guard state == .open else { return .none }
        state = .closing
        closeSentAt = now
        return .sendClose(WebSocketClosePayload(code: code, reason: reason))
    }

    /// The decoder failed: fail the connection with the mapped close code
    /// (the reason is the error's description, cut to 123 bytes).
    public mutating func receiveError(_ error: WebSocketProtocolError) -> Action {
        switch state {
        case .closed:
            return .none
        case .closing:
            // Our Close is already out; a second one is not allowed.
            state = .closed
            closeReason = .protocolError(error)
            return .disconnect
        case .open:
            state = .closed
            closeReason = .protocolError(error)
            return .sendCloseAndDisconnect(WebSocketClosePayload(code: error.closeCode, reason: error.description))
        }
    }

    /// The transport reached end-of-file or failed.
    public mutating func transportClosed() {
        guard state != .closed else { return }
        state = .closed
        closeReason = .transportClosed
    }

    /// Timer decisions at `now`: a ping, a timed-out peer, a timed-out Close
    /// reply, or nothing. Call it at ``nextDeadline`` (calling earlier is harmless).
    public mutating func tick(now: Instant) -> Action {
        switch state {
        case .closed:
            return .none
        case .closing:
            if let sent = closeSentAt, now - sent >= configuration.closeTimeout {
                state = .closed
                closeReason = .closeReplyTimedOut
                return .disconnect
            }
            return .none
        case .open:
            if let timeout = configuration.inactivityTimeout, now - lastInbound >= timeout, isDeliveryBlocked {
                // Backpressure, not silence: start another period.
                lastInbound = now
            } else if let timeout = configuration.inactivityTimeout, now - lastInbound >= timeout {
                state = .closed
                closeReason = .peerTimedOut
                return .peerTimedOut
            }
            if let interval = configuration.pingInterval, now - lastPingSent >= interval {
                lastPingSent = now
                pingCounter &+= 1
                return .sendPing(withUnsafeBytes(of: pingCounter.bigEndian) { Array($0) })
            }
            return .none
        }
    }

    /// The earliest instant at which ``tick(now:)`` may have something to do; nil if never.
    public var nextDeadline: Instant? {
        switch state {
        case .closed:
            return nil
        case .closing:
            return closeSentAt.map { $0 + configuration.closeTimeout }
        case .open:
            let ping = configuration.pingInterval.map { lastPingSent + $0 }
            let dead = configuration.inactivityTimeout.map { lastInbound + $0 }
            switch (ping, dead) {
            case let (p?, d?): return min(p, d)
            case let (p, d): return p ?? d
            }
        }
    }
}
