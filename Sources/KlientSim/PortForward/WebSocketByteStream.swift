import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// A ``ByteStream`` made of a WebSocket's BINARY messages, as the KEP-4006
/// port-forward tunnel (`SPDY/3.1+portforward.k8s.io`) carries SPDY.
///
/// Reading joins message payloads into one byte stream (message boundaries
/// mean nothing); each write is sent as one BINARY message. A TEXT message is
/// an error, a Close with code 1000 (or no code) is end of stream, any other
/// end of the connection is an error — the rules of client-go's
/// `TunnelingConnection`.
///
/// One reader and one writer may use it at once (the ``ByteStream`` contract).
public final class WebSocketByteStream: ByteStream {
    private let socket: WebSocket
    private let transport: (any ByteStream)?
    /// The unread rest of the last message (touched by the one reader only).
    private let pending = Mutex(PendingChunk())

    /// Wraps `socket`. Pass the raw `transport` under it when known so that
    /// ``close()`` can end the connection at once; otherwise ``close()`` starts
    /// a closing handshake in the background.
    public init(_ socket: WebSocket, transport: (any ByteStream)? = nil) {
        self.socket = socket
        self.transport = transport
    }

    /// The WebSocket this stream reads and writes.
    public var webSocket: WebSocket { socket }

    /// Bytes of the next BINARY message(s), at most `maxBytes`; `[]` once the
    /// peer closed with code 1000.
    /// - Throws: ``WebSocketByteStreamError`` for a TEXT message or an
    ///   abnormal end; the WebSocket's own protocol or transport error.
    public func read(maxBytes: Int) async throws -> [UInt8] {
        precondition(maxBytes > 0, "read(maxBytes:) needs a positive maxBytes")
        while true {
            let chunk = pending.withLock { $0.take(maxBytes: maxBytes) }
            if let chunk { return chunk }
            guard let message = try await socket.receive() else {
                switch socket.closeReason {
                case .peerClosed(let code, _) where code == nil || code == .normalClosure:
                    return []
                case let reason:
                    throw WebSocketByteStreamError.abnormalClose(reason)
                }
            }
            switch message {
            case .binary(let bytes):
                if !bytes.isEmpty { pending.withLock { $0.set(bytes) } }
            case .text:
                throw WebSocketByteStreamError.textMessage
            case .ping, .pong, .close:
                continue
            }
        }
    }

    /// Sends `bytes` as one BINARY message.
    /// - Throws: `WebSocketClosedError` once the WebSocket is closing.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await socket.send(binary: bytes)
    }

    /// Sends the parts as one BINARY message.
    public func write(contentsOf parts: [[UInt8]]) async throws {
        if parts.count == 1 { return try await write(parts[0]) }
        var joined: [UInt8] = []
        joined.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { joined.append(contentsOf: part) }
        try await write(joined)
    }

    /// Closes the WebSocket with code 1000 (the tunnel's end of stream) and
    /// waits for the peer's Close (up to the WebSocket's `closeTimeout`).
    public func shutdownWrite() async throws {
        await socket.close(code: .normalClosure)
    }

    /// Ends the connection now (without waiting for a closing handshake when
    /// the transport is known). Idempotent.
    public func close() {
        if let transport {
            transport.close()
        } else {
            let socket = self.socket
            Task { await socket.close(code: .normalClosure) }
        }
    }
}
