import KlientWire

/// Result of `exec.start`: the session is open and bytes flow.
public struct ExecInfo: RPCPayload {
    /// The session id (for `exec.resize`, `exec.wait`, `session.stop`).
    public var id: String
    /// `"exec"` or `"attach"`.
    public var kind: String
    /// The kubeconfig context used.
    public var context: String
    /// The pod's namespace.
    public var namespace: String
    /// The pod chosen (for `svc/`, `deploy/`, … the first Ready one).
    public var pod: String
    /// The container, when the client named one.
    public var container: String?
    /// The negotiated WebSocket subprotocol, e.g. `"v5.channel.k8s.io"`.
    public var subprotocol: String

    public init(id: String, kind: String, context: String, namespace: String, pod: String, container: String? = nil,
                subprotocol: String) {
        self.id = id
        self.kind = kind
        self.context = context
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.subprotocol = subprotocol
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        id = try fields.string("id")
        kind = try fields.string("kind")
        context = try fields.string("context")
        namespace = try fields.string("namespace")
        pod = try fields.string("pod")
        container = try fields.optionalString("container")
        subprotocol = try fields.string("subprotocol")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("id", id)
        object.set("kind", kind)
        object.set("context", context)
        object.set("namespace", namespace)
        object.set("pod", pod)
        object.set("container", container)
        object.set("subprotocol", subprotocol)
        return object.json
    }
}
