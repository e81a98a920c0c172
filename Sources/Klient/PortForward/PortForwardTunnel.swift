import KlientHTTP
import KlientIO
import KlientWire

/// A port-forward tunnel (KEP-4006): one SPDY/3.1 session inside one
/// WebSocket (`SPDY/3.1+portforward.k8s.io`), carrying many TCP connections
/// to the pod, each a ``PortForwardTunnelStream``.
///
/// Open it with ``KubernetesClient/openPortForwardTunnel(namespace:pod:options:)``.
/// One reader task routes the server's frames to per-stream bounded inboxes
/// (a slow stream holds up the tunnel, as in spdystream, instead of growing
/// memory); writes go through one lock. WebSocket pings every
/// ``PortForwardOptions/pingInterval`` keep it alive, and nothing received
/// for ``PortForwardOptions/inactivityTimeout`` ends it.
///
/// The tunnel lives until ``close()``, the server closes it, or it fails;
/// dropping the handle does not end it while its reader runs, so call
/// ``close()``.
public final class PortForwardTunnel: Sendable {
    private let session: PortForwardTunnelSession

    init(socket: WebSocket, options: PortForwardOptions) {
        session = PortForwardTunnelSession(socket: socket, options: options)
        session.start()
    }

    /// Opens one TCP connection to `port` of the pod: an `error` stream (FINed
    /// at once, like kubectl) and a `data` stream sharing a `requestid`, then
    /// waits up to ``PortForwardOptions/openTimeout`` for both SYN_REPLYs.
    ///
    /// The pod port is dialled by the kubelet after this returns; a refused
    /// port shows up as ``PortForwardError/remote(port:message:)`` from the
    /// stream's first read.
    /// - Throws: ``PortForwardError/streamReset(port:status:)`` when the server
    ///   refused a stream; ``PortForwardError/closed(_:)`` once the tunnel has
    ///   ended or the server sent GOAWAY; `TimeoutError`; `CancellationError`.
    public func openStream(port: UInt16) async throws -> PortForwardTunnelStream {
        let pair = try await session.openPair(port: port)
        return PortForwardTunnelStream(pair: pair, session: session)
    }

    /// Stream pairs not yet finished by both sides, reset or closed.
    public var activeStreams: Int { session.activeStreams }

    /// True once the tunnel has ended or ``close()`` was called.
    public var isClosed: Bool { session.isClosed }

    /// Returns once the tunnel has ended: the server closed it (or dropped
    /// the connection), the inactivity timeout passed, a protocol violation,
    /// a drained GOAWAY, or ``close()``.
    public func closed() async { await session.closed() }

    /// One SPDY PING round trip (client ping IDs are odd).
    /// - Throws: ``PortForwardError/closed(_:)`` once the tunnel has ended;
    ///   `TimeoutError` after ``PortForwardOptions/openTimeout``.
    public func ping() async throws -> Duration { try await session.ping() }

    /// Ends the tunnel like spdystream's `Close`: RST_STREAM CANCEL for every
    /// open stream, GOAWAY(OK), then the WebSocket close handshake (code
    /// 1000). Streams' reads then fail with ``PortForwardError/closed(_:)``.
    /// Idempotent; returns once the reader has stopped.
    public func close() async { await session.close() }
}
