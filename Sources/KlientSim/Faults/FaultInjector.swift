import Foundation
import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// The simulator's faults, for tests and benchmarks: drop streaming
/// connections, refuse or reset new connections for a while, per-message
/// latency, failing the next requests, expiring issued tokens, restarting a
/// pod, refusing the port-forward tunnel. Served over HTTP under `/klient-sim/faults` (admin, loopback only;
/// see `FaultInjector+HTTP.swift`) and callable in-process.
public final class FaultInjector: Sendable {
    /// How new connections are turned away.
    public enum ConnectionFault: String, Sendable {
        /// The listening socket is closed: connects fail with ECONNREFUSED.
        case refuse
        /// Connections are accepted and closed at once with a TCP RST.
        case reset
    }

    public typealias ConnectionController = @Sendable (ConnectionFault, Duration) async throws -> Void
    public typealias PodRestarter = @Sendable (_ namespace: String, _ name: String) async throws -> Void

    public let streams: StreamRegistry
    public let streamFaults: StreamFaults
    public let authenticator: SimAuthenticator

    private struct RequestFailure {
        var remaining: Int
        var code: Int
        var retryAfterSeconds: Int?
    }

    private struct State {
        var failure: RequestFailure?
        var connectionController: ConnectionController?
        var podRestarter: PodRestarter?
        var injectedFailures = 0
    }

    private let state = Mutex(State())

    public init(streams: StreamRegistry = StreamRegistry(), streamFaults: StreamFaults = StreamFaults(),
                authenticator: SimAuthenticator) {
        self.streams = streams
        self.streamFaults = streamFaults
        self.authenticator = authenticator
    }

    /// Installs what refuses/resets connections (the cluster host does).
    public func setConnectionController(_ controller: ConnectionController?) {
        state.withLock { $0.connectionController = controller }
    }

    /// Installs what restarts a pod (the runtime does).
    public func setPodRestarter(_ restarter: PodRestarter?) {
        state.withLock { $0.podRestarter = restarter }
    }

    /// Closes every registered streaming connection (exec, attach,
    /// port-forward, watch, logs -f); returns how many.
    @discardableResult
    public func dropStreamingConnections() -> Int { streams.dropAll() }

    /// Turns new connections away for `duration`.
    /// - Throws: `APIError` 501 when no controller is installed, or what it throws.
    public func blockConnections(_ mode: ConnectionFault, for duration: Duration) async throws {
        guard let controller = state.withLock({ $0.connectionController }) else {
            throw APIError(code: 501, reason: "NotImplemented", message: "connection faults need the klient-sim listener (SimCluster)")
        }
        try await controller(mode, duration)
    }

    /// Accepts (true, the default) or refuses (false) the port-forward tunnel
    /// (`SPDY/3.1+portforward.k8s.io` over WebSocket), like an API server
    /// from before Kubernetes 1.31; see ``StreamFaults/portForwardTunnelEnabled``.
    public func setPortForwardTunnel(enabled: Bool) { streamFaults.portForwardTunnelEnabled = enabled }

    /// Whether the port-forward tunnel is accepted.
    public var portForwardTunnelEnabled: Bool { streamFaults.portForwardTunnelEnabled }

    /// Offers (true, the default) or withholds (false) `v5.channel.k8s.io`
    /// for exec and attach, like an API server before Kubernetes 1.30; see
    /// ``StreamFaults/execV5Enabled``.
    public func setExecV5(enabled: Bool) { streamFaults.execV5Enabled = enabled }

    /// Whether exec and attach offer `v5.channel.k8s.io`.
    public var execV5Enabled: Bool { streamFaults.execV5Enabled }

    /// Delay before each message of every streaming connection; nil clears it.
    public func setMessageLatency(_ latency: Duration?) { streamFaults.messageLatency = latency }

    /// The next `count` API requests fail with `code` (a Status with the
    /// standard reason; `Retry-After` and `details.retryAfterSeconds` when given).
    public func failNextRequests(_ count: Int, code: Int, retryAfterSeconds: Int?) {
        state.withLock { $0.failure = count > 0 ? RequestFailure(remaining: count, code: code, retryAfterSeconds: retryAfterSeconds) : nil }
    }

    /// How many requests have been failed on purpose so far.
    public var injectedFailureCount: Int { state.withLock { $0.injectedFailures } }

    var hasConnectionController: Bool { state.withLock { $0.connectionController != nil } }

    /// The failure for the current request, if one is pending (consumes one).
    func takeRequestFailure() -> APIError? {
        state.withLock { state -> APIError? in
            guard var f = state.failure else { return nil }
            f.remaining -= 1
            state.failure = f.remaining > 0 ? f : nil
            state.injectedFailures += 1
            let reason = APIError.reason(for: f.code)
            let message = f.code == 429 ? "Too many requests, please try again later." : "injected failure (klient-sim fault) with code \(f.code)"
            return APIError(code: f.code, reason: reason, message: message, details: .object([:]), retryAfterSeconds: f.retryAfterSeconds)
        }
    }

    /// Every exec-plugin token issued so far stops working (401).
    public func expireTokens() { authenticator.expireIssuedTokens() }

    /// Restarts a pod through the runtime.
    /// - Throws: `APIError` 501 when no runtime is installed, or what it throws.
    public func restartPod(namespace: String, name: String) async throws {
        guard let restarter = state.withLock({ $0.podRestarter }) else {
            throw APIError(code: 501, reason: "NotImplemented", message: "restarting pods needs the klient-sim runtime")
        }
        try await restarter(namespace, name)
    }
}
