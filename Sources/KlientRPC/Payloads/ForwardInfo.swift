import KlientWire

/// A port forward as klientd runs it: result of `forward.add` and
/// `forward.wait`, element of `forward.list`.
public struct ForwardInfo: RPCPayload {
    /// The forward's id (also its session id in `session.list`).
    public var id: String
    /// The name given with `forward.add`, if any.
    public var name: String?
    /// The kubeconfig context used.
    public var context: String
    /// The target's namespace.
    public var namespace: String
    /// The target in canonical form, e.g. `"svc/web"` (``ForwardTarget/description``).
    public var target: String
    /// The mode asked for: `"auto"`, `"tunnel"` or `"channel"` (``ForwardMode``).
    public var mode: String
    /// The mode in use once a session is up: `"tunnel"` or `"channel"`.
    public var activeMode: String?
    /// Whether the forward is saved and restored when klientd starts.
    public var persist: Bool
    /// The pool size: connections kept open to the pod per port.
    public var pool: Int
    /// `"connecting"`, `"ready"`, `"backoff"`, `"failed"` or `"stopping"` (``ForwardState``; open set).
    public var state: String
    /// Why the forward is in `state`, e.g. what it waits for.
    public var reason: String?
    /// The pod connections currently go to.
    public var pod: String?
    /// The listening sockets.
    public var listeners: [ForwardListener]
    /// Local connections open now.
    public var activeConnections: Int
    /// Local connections accepted since the forward started.
    public var totalConnections: Int64
    /// Bytes received from the cluster.
    public var bytesIn: Int64
    /// Bytes sent to the cluster.
    public var bytesOut: Int64
    /// How many times the forward moved to a new pod or a new API connection.
    public var reconnects: Int
    /// The last error seen, even if the forward recovered since.
    public var lastError: String?
    /// When the forward was added (RFC 3339, UTC).
    public var createdAt: String

    public init(id: String, name: String? = nil, context: String, namespace: String, target: String,
                mode: String = ForwardMode.auto, activeMode: String? = nil, persist: Bool = true,
                pool: Int = ForwardAddParams.defaultPool, state: String, reason: String? = nil, pod: String? = nil,
                listeners: [ForwardListener], activeConnections: Int = 0, totalConnections: Int64 = 0,
                bytesIn: Int64 = 0, bytesOut: Int64 = 0, reconnects: Int = 0, lastError: String? = nil,
                createdAt: String) {
        self.id = id
        self.name = name
        self.context = context
        self.namespace = namespace
        self.target = target
        self.mode = mode
        self.activeMode = activeMode
        self.persist = persist
        self.pool = pool
        self.state = state
        self.reason = reason
        self.pod = pod
        self.listeners = listeners
        self.activeConnections = activeConnections
        self.totalConnections = totalConnections
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.reconnects = reconnects
        self.lastError = lastError
        self.createdAt = createdAt
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        id = try fields.string("id")
        name = try fields.optionalString("name")
        context = try fields.string("context")
        namespace = try fields.string("namespace")
        target = try fields.string("target")
        mode = try fields.string("mode")
        activeMode = try fields.optionalString("activeMode")
        persist = try fields.bool("persist")
        pool = try fields.int("pool")
        state = try fields.string("state")
        reason = try fields.optionalString("reason")
        pod = try fields.optionalString("pod")
        var listeners: [ForwardListener] = []
        for item in try fields.objects("listeners") { listeners.append(try ForwardListener(fields: item)) }
        self.listeners = listeners
        activeConnections = try fields.int("activeConnections")
        totalConnections = try fields.int64("totalConnections")
        bytesIn = try fields.int64("bytesIn")
        bytesOut = try fields.int64("bytesOut")
        reconnects = try fields.int("reconnects")
        lastError = try fields.optionalString("lastError")
        createdAt = try fields.string("createdAt")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("id", id)
        object.set("name", name)
        object.set("context", context)
        object.set("namespace", namespace)
        object.set("target", target)
        object.set("mode", mode)
        object.set("activeMode", activeMode)
        object.set("persist", persist)
        object.set("pool", pool)
        object.set("state", state)
        object.set("reason", reason)
        object.set("pod", pod)
        object.set("listeners", .array(listeners.map(\.json)))
        object.set("activeConnections", activeConnections)
        object.set("totalConnections", totalConnections)
        object.set("bytesIn", bytesIn)
        object.set("bytesOut", bytesOut)
        object.set("reconnects", reconnects)
        object.set("lastError", lastError)
        object.set("createdAt", createdAt)
        return object.json
    }
}
