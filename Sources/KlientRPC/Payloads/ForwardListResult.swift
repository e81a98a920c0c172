import KlientWire

/// Result of `forward.list`.
public struct ForwardListResult: RPCPayload {
    /// The forwards, oldest first.
    public var forwards: [ForwardInfo]

    public init(forwards: [ForwardInfo]) {
        self.forwards = forwards
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        var forwards: [ForwardInfo] = []
        for item in try fields.objects("forwards") { forwards.append(try ForwardInfo(fields: item)) }
        self.forwards = forwards
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("forwards", .array(forwards.map(\.json)))
        return object.json
    }
}
