/// The values of `mode` and `activeMode` in `forward.*` payloads.
///
/// - `tunnel`: one WebSocket carries SPDY/3.1 (`SPDY/3.1+portforward.k8s.io`,
///   KEP-4006, Kubernetes ≥ 1.31) with many TCP connections multiplexed.
/// - `channel`: one WebSocket per TCP connection (`v4.channel.k8s.io`), from a
///   pool of pre-opened sessions.
/// - `auto`: tunnel, falling back to channel mode when the server refuses it.
public enum ForwardMode {
    public static let auto = "auto"
    public static let tunnel = "tunnel"
    public static let channel = "channel"

    /// Every value `ForwardAddParams.mode` accepts, in help order.
    public static let all = [auto, tunnel, channel]
}

/// The values of `ForwardInfo.state` (open set: show unknown ones as they are).
public enum ForwardState {
    /// Listeners bound; no ready session to the pod yet.
    public static let connecting = "connecting"
    /// Listeners bound and a session to the pod is ready.
    public static let ready = "ready"
    /// The last attempt failed; retrying after a delay (`reason` says why).
    public static let backoff = "backoff"
    /// Gave up (e.g. the target does not exist or access is forbidden); `reason` says why.
    public static let failed = "failed"
    /// Being removed.
    public static let stopping = "stopping"

    public static let all = [connecting, ready, backoff, failed, stopping]
}
