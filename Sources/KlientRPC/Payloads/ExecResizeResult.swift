import KlientWire

/// Result of `exec.resize`.
public struct ExecResizeResult: RPCPayload {
    /// The session's id.
    public var id: String
    /// True when the size was sent to the container; false when the session
    /// has no terminal or has ended (nothing to resize).
    public var resized: Bool

    public init(id: String, resized: Bool) {
        self.id = id
        self.resized = resized
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        id = try fields.string("id")
        resized = try fields.bool("resized")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("id", id)
        object.set("resized", resized)
        return object.json
    }
}
