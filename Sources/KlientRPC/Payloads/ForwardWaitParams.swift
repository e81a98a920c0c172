import KlientWire

/// Params of `forward.wait`: wait until a forward's listeners are bound and
/// a session to its pod is ready.
public struct ForwardWaitParams: RPCPayload {
    /// The forward's id or name.
    public var ref: String
    /// How long to wait, in seconds; nil for ``defaultTimeout``.
    public var timeout: Double?

    /// Seconds waited without `timeout`.
    public static let defaultTimeout: Double = 30
    /// The longest wait accepted, in seconds (one day).
    public static let maxTimeout: Double = 86_400

    public init(ref: String, timeout: Double? = nil) {
        self.ref = ref
        self.timeout = timeout
    }

    /// - Throws: ``RPCError`` -32602 for a missing `ref` or a `timeout` that is
    ///   not a number between 0 and ``maxTimeout``.
    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        ref = try fields.string("ref")
        timeout = try fields.optionalDouble("timeout")
        if let timeout, !(timeout >= 0 && timeout <= Self.maxTimeout) {
            throw fields.invalid("timeout", "must be a number of seconds between 0 and \(Int(Self.maxTimeout)), not \(timeout)")
        }
    }

    /// `timeout`, or ``defaultTimeout`` when absent, as a Duration.
    public var effectiveTimeout: Duration { .milliseconds(Int64(((timeout ?? Self.defaultTimeout) * 1000).rounded())) }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("ref", ref)
        object.set("timeout", timeout)
        return object.json
    }
}
