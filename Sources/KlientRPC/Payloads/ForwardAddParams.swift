import KlientWire

/// Params of `forward.add`: start a port forward.
public struct ForwardAddParams: RPCPayload {
    /// The kubeconfig context; the current context when absent.
    public var context: String?
    /// The namespace; the context's namespace (else `default`) when absent.
    public var namespace: String?
    /// What to forward to, e.g. `"svc/web"` (see ``ForwardTarget``).
    public var target: String
    /// The ports, at least one.
    public var ports: [ForwardPortSpec]
    /// Local addresses to listen on; nil for ``defaultAddresses``.
    public var addresses: [String]?
    /// A name to refer to the forward by (instead of its id).
    public var name: String?
    /// Whether klientd saves the forward and restores it when it starts (default true).
    public var persist: Bool
    /// Connections kept open to the pod per port, ready for the next local connection; nil for ``defaultPool``.
    public var pool: Int?
    /// `"auto"` (default), `"tunnel"` or `"channel"` (``ForwardMode``).
    public var mode: String

    /// Where a forward listens without `addresses`: loopback, IPv4 and IPv6.
    public static let defaultAddresses = ["127.0.0.1", "::1"]
    /// The pool size without `pool`.
    public static let defaultPool = 2
    /// The pool sizes accepted.
    public static let poolRange = 0...16

    public init(context: String? = nil, namespace: String? = nil, target: String, ports: [ForwardPortSpec],
                addresses: [String]? = nil, name: String? = nil, persist: Bool = true, pool: Int? = nil,
                mode: String = ForwardMode.auto) {
        self.context = context
        self.namespace = namespace
        self.target = target
        self.ports = ports
        self.addresses = addresses
        self.name = name
        self.persist = persist
        self.pool = pool
        self.mode = mode
    }

    /// - Throws: ``RPCError`` -32602 naming the field: a missing or mistyped
    ///   member, a target that does not parse, no ports, a port out of range
    ///   or an invalid port name, an empty address list or name, a pool outside
    ///   0…16, a mode other than auto, tunnel and channel.
    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        context = try fields.optionalString("context")
        namespace = try fields.optionalString("namespace")
        target = try fields.string("target")
        do {
            _ = try ForwardTarget(parsing: target)
        } catch {
            throw fields.invalid("target", "is not a valid target: \(error.message)")
        }
        var ports: [ForwardPortSpec] = []
        for item in try fields.objects("ports") { ports.append(try ForwardPortSpec(fields: item)) }
        guard !ports.isEmpty else { throw fields.invalid("ports", "must name at least one port") }
        self.ports = ports
        addresses = try fields.optionalStrings("addresses")
        if let addresses {
            guard !addresses.isEmpty else {
                throw fields.invalid("addresses", "must not be empty; leave it out for \(Self.defaultAddresses.joined(separator: " and "))")
            }
            if let empty = addresses.firstIndex(of: "") { throw fields.invalid("addresses[\(empty)]", "must not be empty") }
        }
        name = try fields.optionalString("name")
        if let name, name.isEmpty { throw fields.invalid("name", "must not be empty") }
        persist = try fields.optionalBool("persist") ?? true
        pool = try fields.optionalInt("pool", in: Self.poolRange)
        mode = try fields.optionalString("mode") ?? ForwardMode.auto
        guard ForwardMode.all.contains(mode) else {
            throw fields.invalid("mode", "must be one of \(ForwardMode.all.joined(separator: ", ")), not \(JSONValue.string(mode).jsonString)")
        }
    }

    /// `addresses`, or ``defaultAddresses`` when absent.
    public var effectiveAddresses: [String] { addresses ?? Self.defaultAddresses }
    /// `pool`, or ``defaultPool`` when absent.
    public var effectivePool: Int { pool ?? Self.defaultPool }

    /// `target` parsed (``init(json:)`` has checked that it parses).
    /// - Throws: ``ForwardSyntaxError`` for a target set in code that does not parse.
    public func parsedTarget() throws(ForwardSyntaxError) -> ForwardTarget {
        try ForwardTarget(parsing: target)
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("context", context)
        object.set("namespace", namespace)
        object.set("target", target)
        object.set("ports", .array(ports.map(\.json)))
        object.set("addresses", addresses)
        object.set("name", name)
        object.set("persist", persist)
        object.set("pool", pool)
        object.set("mode", mode)
        return object.json
    }
}
