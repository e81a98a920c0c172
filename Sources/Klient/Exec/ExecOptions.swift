/// Settings of one exec or attach session.
///
/// Every buffer is bounded: at most ``outputBufferMessages`` messages wait
/// per output stream (and in the WebSocket inbox); when a consumer stops
/// reading, the reader stops too and TCP backpressure reaches the server.
public struct ExecOptions: Sendable {
    /// The container to run in. nil: the pod's only container, or the one
    /// named by the pod annotation `kubectl.kubernetes.io/default-container`;
    /// a pod with several containers and no such annotation is refused with
    /// ``ExecError/Kind/containerNotChosen``.
    public var container: String? = nil
    /// Open stdin (channel 0) for ``ExecSession/write(stdin:)``.
    public var stdin = false
    /// Allocate a TTY in the container (stdout and stderr are then one stream).
    public var tty = false
    /// Receive stdout (channel 1).
    public var stdout = true
    /// Receive stderr (channel 2); ignored (false) with ``tty``.
    public var stderr = true
    /// Sent on the resize channel right after the upgrade when ``tty`` is set.
    public var terminalSize: ExecTerminalSize? = nil
    /// WebSocket pings this often (client-go pings every 5 s); nil sends none.
    public var pingInterval: Duration? = .seconds(5)
    /// Nothing received from the server for this long (pongs included) ends
    /// the session as dead; nil waits forever. Time spent waiting for a slow
    /// consumer does not count.
    public var inactivityTimeout: Duration? = .seconds(30)
    /// Time allowed for the upgrade (including a credential refresh and, when
    /// needed, the GET of the pod that picks its default container).
    public var openTimeout: Duration = .seconds(30)
    /// Messages buffered per output stream before the reader waits.
    public var outputBufferMessages = 16

    public init() {}
}
