import KlientWire

/// A change in the daemon, sent as an `event` notification to subscribed connections.
public struct DaemonEvent: RPCPayload {
    /// `"session.started"`, `"session.stopped"`, `"session.failed"`, `"session.updated"`, `"session.reconnected"`, `"config.reloaded"` or `"daemon.stopping"` (open set).
    public var type: String
    /// When it happened (RFC 3339, UTC).
    public var time: String
    /// The session, for `session.*` events.
    public var session: SessionInfo?
    /// A human-readable detail, e.g. the failure.
    public var message: String?

    public init(type: String, time: String, session: SessionInfo? = nil, message: String? = nil) {
        self.type = type
        self.time = time
        self.session = session
        self.message = message
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        type = try fields.string("type")
        time = try fields.string("time")
        session = try fields.optionalObject("session").map { item throws(RPCError) in try SessionInfo(fields: item) }
        message = try fields.optionalString("message")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("type", type)
        object.set("time", time)
        object.set("session", session?.json)
        object.set("message", message)
        return object.json
    }
}
