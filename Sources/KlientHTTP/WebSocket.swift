import KlientIO
import KlientWire

/// An open WebSocket (RFC 6455) over any ``ByteStream``, client or server side.
///
/// One reader loop per connection decodes frames, answers pings, runs the
/// close handshake and hands text/binary messages to a bounded inbox: when the
/// application stops calling ``receive()``, the loop stops reading and TCP
/// backpressure reaches the peer. Sends from any task are serialised by one
/// write lock, so frames never interleave. Session rules live in the pure
/// `WebSocketConnectionStateMachine`; this type only performs its actions.
///
/// Dropping the last reference closes the transport (without a handshake);
/// call ``close(code:reason:)`` for a clean close.
public final class WebSocket: Sendable {
    public struct Configuration: Sendable {
        /// Largest frame and message accepted from the peer (close code 1009 beyond).
        public var maxFrameSize = 64 * 1024 * 1024
        public var maxMessageSize = 64 * 1024 * 1024
        /// Ping period and inactivity timeout; nil disables either.
        public var pingInterval: Duration? = .seconds(5)
        public var inactivityTimeout: Duration? = .seconds(61)
        /// How long ``close(code:reason:)`` waits for the peer's Close.
        public var closeTimeout: Duration = .seconds(5)
        /// Messages buffered before the reader stops reading.
        public var inboxCapacity = 16
        public init() {}
    }

    /// Why the connection ended.
    public typealias CloseReason = WebSocketConnectionStateMachine.CloseReason

    private let session: WebSocketSession

    /// Takes over `stream` after a completed handshake. `leftover` holds bytes
    /// that arrived together with the handshake (they belong to the first frames).
    public init(stream: any ByteStream, role: WebSocketRole, subprotocol: String?,
                leftover: [UInt8] = [], configuration: Configuration = Configuration()) {
        session = WebSocketSession(stream: stream, role: role, subprotocol: subprotocol,
                                   leftover: leftover, configuration: configuration)
    }

    deinit { session.abandon() }

    public var role: WebSocketRole { session.role }
    /// The negotiated subprotocol, if any.
    public var subprotocol: String? { session.subprotocol }
    public var configuration: Configuration { session.configuration }
    /// Why the connection ended, once it has.
    public var closeReason: CloseReason? { session.closeReason }

    /// The next text or binary message; nil once the connection has closed
    /// (see ``closeReason``). Pings, pongs and Close frames are handled inside.
    /// - Throws: the `WebSocketProtocolError` or transport error that ended the
    ///   connection abnormally.
    public func receive() async throws -> WebSocketMessage? { try await session.receive() }

    /// Sends a text message. - Throws: ``WebSocketClosedError`` once closing.
    public func send(text: String) async throws { try await session.send(text: text) }

    /// Sends a binary message. - Throws: ``WebSocketClosedError`` once closing.
    public func send(binary: [UInt8]) async throws { try await session.send(binary: binary) }

    /// Sends one message as several frames (RFC 6455 §5.4), one per element.
    public func send(fragments: [[UInt8]], text: Bool = false) async throws {
        try await session.send(fragments: fragments, text: text)
    }

    /// Sends a ping and waits for the matching pong.
    public func ping(_ payload: [UInt8] = []) async throws { try await session.ping(payload) }

    /// Starts the closing handshake, waits (up to `closeTimeout`) for the
    /// peer's Close, then closes the transport. Idempotent.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async {
        await session.close(code: code, reason: reason)
    }
}

/// Thrown when sending on a WebSocket that is closing or closed.
public struct WebSocketClosedError: Error, Sendable, CustomStringConvertible {
    public let reason: WebSocket.CloseReason?
    public var description: String {
        "the WebSocket is closed" + (reason.map { " (\($0))" } ?? "")
    }
}
