import KlientWire

/// Result of `forward.remove`.
public struct ForwardRemoveResult: RPCPayload {
    /// The ids of the forwards removed (empty for `all` with no forwards).
    public var removed: [String]

    public init(removed: [String]) {
        self.removed = removed
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        removed = try fields.strings("removed")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("removed", removed)
        return object.json
    }
}
