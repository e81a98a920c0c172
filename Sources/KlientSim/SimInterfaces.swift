import KlientIO
import KlientWire
import Synchronization

// The seams between klient-sim's parts. The API router (API/) resolves the
// pod and checks authorization, then hands streaming requests to Exec/,
// PortForward/ and Runtime/ through these types.

/// A pod as the streaming handlers need it.
public struct PodContext: Sendable {
    public var namespace: String
    public var name: String
    public var uid: String
    /// The pod object as stored (metadata, spec, status).
    public var object: JSONValue
    /// The pod's working directory on the host (exec commands run here).
    public var workingDirectory: String

    public init(namespace: String, name: String, uid: String, object: JSONValue, workingDirectory: String) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.object = object
        self.workingDirectory = workingDirectory
    }

    /// Container names in spec order.
    public var containerNames: [String] {
        (object[path: ["spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// The pod annotations (e.g. `klient-sim/port.P` for port-forward targets).
    public var annotations: [String: String] {
        (object[path: ["metadata", "annotations"]]?.objectValue ?? [:]).compactMapValues { $0.stringValue }
    }
}

/// The running main process of one container, as `attach` reaches it.
public protocol ContainerAttachment: Sendable {
    /// Whether the container runs with a terminal (`tty: true` in its spec).
    var isTTY: Bool { get }
    /// Output produced from now on: channel 1 (stdout) or 2 (stderr), and bytes.
    /// The stream finishes when the process exits.
    func subscribeOutput() -> AsyncStream<(channel: UInt8, bytes: [UInt8])>
    /// Writes to the process's stdin.
    func writeStdin(_ bytes: [UInt8]) async throws
    /// Closes the process's stdin (EOF).
    func closeStdin()
    /// Applies a terminal size (tty containers only).
    func resize(width: UInt16, height: UInt16)
}

/// What the runtime offers the streaming handlers.
public protocol PodRuntimeAccess: Sendable {
    /// The attachment of `container` of a pod, or nil if it has no running process.
    func attachment(namespace: String, pod: String, container: String) -> (any ContainerAttachment)?
}

/// Fault settings the streaming handlers consult (the API part owns the rest).
public final class StreamFaults: Sendable {
    private let latency = Mutex<Duration?>(nil)
    private let tunnel = Mutex(true)
    private let execV5 = Mutex(true)

    public init() {}

    /// Extra delay before each message a streaming handler forwards; nil for none.
    public var messageLatency: Duration? {
        get { latency.withLock { $0 } }
        set { latency.withLock { $0 = newValue } }
    }

    /// Whether port-forward accepts the KEP-4006 tunnel (a WebSocket offering
    /// `SPDY/3.1+portforward.k8s.io`). When false the sim answers such a
    /// request as an API server before 1.31 does: as a channel-mode request
    /// (400 Status when `ports` is missing or no offered subprotocol is
    /// served). Channel mode and SPDY/3.1 are unaffected.
    public var portForwardTunnelEnabled: Bool {
        get { tunnel.withLock { $0 } }
        set { tunnel.withLock { $0 = newValue } }
    }

    /// Whether exec and attach over WebSocket offer `v5.channel.k8s.io`.
    /// When false the sim is a server before Kubernetes 1.30: it skips v5 in
    /// the client's offer (so a v5-then-v4 client gets v4, which cannot
    /// half-close stdin, and a v5-only client gets a 400). SPDY is unaffected.
    public var execV5Enabled: Bool {
        get { execV5.withLock { $0 } }
        set { execV5.withLock { $0 = newValue } }
    }

    /// Sleeps for the configured per-message latency, if any.
    public func delayMessage() async {
        if let d = messageLatency { try? await Task.sleep(for: d) }
    }
}
