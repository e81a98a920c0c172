import KlientWire

/// Params of `exec.wait`: wait for an exec or attach session to end.
public struct ExecWaitParams: RPCPayload {
    /// The session.
    public var id: String

    public init(id: String) {
        self.id = id
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        id = try fields.string("id")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("id", id)
        return object.json
    }
}
