import KlientIO
import KlientWire
import Synchronization

/// One TCP connection to a pod port through a ``PortForwardTunnel``, with
/// real half-close: ``shutdownWrite()`` sends FIN and the pod's answer still
/// arrives.
///
/// One reader and one writer may use it at once (the ``ByteStream``
/// contract). Dropping the last reference closes it.
public final class PortForwardTunnelStream: ByteStream {
    /// The pod port this connection reaches.
    public let port: UInt16

    private let pair: PortForwardTunnelPair
    private let session: PortForwardTunnelSession
    private let isShut = Mutex(false)
    /// The unread rest of the last inbox element (touched by the one reader only).
    private let pending = Mutex(PendingChunk())

    init(pair: PortForwardTunnelPair, session: PortForwardTunnelSession) {
        port = pair.port
        self.pair = pair
        self.session = session
    }

    deinit { close() }

    /// The `requestid` header shared by this connection's two SPDY streams.
    public var requestID: Int { pair.requestID }

    /// Bytes from the pod, at most `maxBytes`; `[]` after the server's FIN on
    /// the data stream (the pod closed its side).
    /// - Throws: ``PortForwardError/remote(port:message:)`` when the error
    ///   stream carried text (e.g. the pod port refused the connection);
    ///   ``PortForwardError/streamReset(port:status:)`` after RST_STREAM;
    ///   ``PortForwardError/closed(_:)`` when the tunnel ended or after ``close()``.
    public func read(maxBytes: Int) async throws -> [UInt8] {
        precondition(maxBytes > 0, "read(maxBytes:) needs a positive maxBytes")
        while true {
            let chunk = pending.withLock { $0.take(maxBytes: maxBytes) }
            if let chunk { return chunk }
            guard let bytes = try await pair.inbox.receive() else { return [] }
            pending.withLock { $0.set(bytes) }
        }
    }

    /// Sends `bytes` to the pod as DATA frames of at most 128 KiB.
    /// - Throws: ``PortForwardError/closed(_:)`` after ``shutdownWrite()``,
    ///   a reset, or the end of the tunnel.
    public func write(_ bytes: [UInt8]) async throws {
        try await session.write(bytes, pair: self.pair)
    }

    /// Half-closes: an empty DATA frame with FIN on the data stream. The pod
    /// sees EOF; its answer can still be read. Idempotent.
    public func shutdownWrite() async throws {
        try await session.shutdownWrite(pair: pair)
    }

    /// Ends the connection: RST_STREAM CANCEL on whichever of its two streams
    /// is not finished yet (sent in the background); later reads fail with
    /// ``PortForwardError/closed(_:)``. Idempotent.
    public func close() {
        let first = isShut.withLock { shut in
            defer { shut = true }
            return !shut
        }
        guard first else { return }
        session.cancelPair(pair)
    }
}
