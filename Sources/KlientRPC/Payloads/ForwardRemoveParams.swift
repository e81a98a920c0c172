import KlientWire

/// Params of `forward.remove`: one forward by id or name, or all of them.
/// klientd answers `Invalid` when neither or both of `ref` and `all` are given.
public struct ForwardRemoveParams: RPCPayload {
    /// The forward's id or name.
    public var ref: String?
    /// Remove every forward (default false).
    public var all: Bool

    public init(ref: String? = nil, all: Bool = false) {
        self.ref = ref
        self.all = all
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        ref = try fields.optionalString("ref")
        all = try fields.optionalBool("all") ?? false
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("ref", ref)
        object.set("all", all)
        return object.json
    }
}
