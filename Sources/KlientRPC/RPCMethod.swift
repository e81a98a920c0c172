/// Method names of klientd's control protocol (Protocol/klientd-rpc.md).
public enum RPCMethod {
    /// Handshake; the first call on every connection (``HelloParams`` → ``HelloResult``).
    public static let hello = "daemon.hello"
    /// The daemon's state (no params → ``DaemonStatus``).
    public static let status = "daemon.status"
    /// Sessions, optionally of one kind (``SessionListParams`` → ``SessionListResult``).
    public static let sessionList = "session.list"
    /// Stops one session (``SessionStopParams`` → ``SessionStopResult``).
    public static let sessionStop = "session.stop"
    /// Starts the stream of ``event`` notifications (``EventsSubscribeParams`` → ``EventsSubscribeResult``).
    public static let eventsSubscribe = "events.subscribe"
    /// Re-reads kubeconfig (no params → ``ConfigReloadResult``).
    public static let configReload = "config.reload"
    /// Starts a port forward (``ForwardAddParams`` → ``ForwardInfo``).
    public static let forwardAdd = "forward.add"
    /// The port forwards (no params → ``ForwardListResult``).
    public static let forwardList = "forward.list"
    /// Removes a forward by id or name, or all (``ForwardRemoveParams`` → ``ForwardRemoveResult``).
    public static let forwardRemove = "forward.remove"
    /// Waits until a forward is ready (``ForwardWaitParams`` → ``ForwardInfo``).
    public static let forwardWait = "forward.wait"
    /// Runs a command in a container, or attaches to it, with the client's
    /// stdin, stdout and stderr sent along (SCM_RIGHTS) (``ExecStartParams`` → ``ExecInfo``).
    public static let execStart = "exec.start"
    /// Passes a terminal size change on (``ExecResizeParams`` → ``ExecResizeResult``).
    public static let execResize = "exec.resize"
    /// Waits for an exec or attach session to end (``ExecWaitParams`` → ``ExecExitResult``).
    public static let execWait = "exec.wait"
    /// Server → client notification carrying a ``DaemonEvent``.
    public static let event = "event"

    /// Every method of this protocol version, requests and the event notification.
    public static let all: [String] = [
        hello, status, sessionList, sessionStop, eventsSubscribe, configReload,
        forwardAdd, forwardList, forwardRemove, forwardWait, execStart, execResize, execWait, event,
    ]
}
