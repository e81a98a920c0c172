extension DaemonEvent {
    /// A session was created (its state may still be `starting`).
    public static let sessionStarted = "session.started"
    /// A session ended, on request or because its target went away.
    public static let sessionStopped = "session.stopped"
    /// A session gave up; `message` says why.
    public static let sessionFailed = "session.failed"
    /// A session changed state (e.g. a forward from `ready` to `backoff`);
    /// `message` says from what to what, and why.
    public static let sessionUpdated = "session.updated"
    /// A session lost its connection and has it back: a forward now targets
    /// a new pod or uses a new API connection.
    public static let sessionReconnected = "session.reconnected"
    /// `config.reload` (or SIGHUP) re-read the kubeconfig.
    public static let configReloaded = "config.reloaded"
    /// The daemon is shutting down; the connection closes next.
    public static let daemonStopping = "daemon.stopping"

    /// Every event type of this protocol version.
    public static let allTypes = [sessionStarted, sessionStopped, sessionFailed, sessionUpdated, sessionReconnected, configReloaded, daemonStopping]

    /// The `event` notification carrying this event.
    public var notification: RPCNotification {
        RPCNotification(method: RPCMethod.event, params: json)
    }
}
