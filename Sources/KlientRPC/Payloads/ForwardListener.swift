import KlientWire

/// One listening socket of a forward.
public struct ForwardListener: RPCPayload, Hashable {
    /// The local address, e.g. `"127.0.0.1"` or `"::1"`.
    public var address: String
    /// The bound local port (the free port chosen when 0 was asked for).
    public var port: Int
    /// The remote port as requested (a number or a port name).
    public var remotePort: ForwardRemotePort
    /// The pod port connections go to, once resolved (a named or service port
    /// mapped to the pod's container port); nil until then.
    public var podPort: Int?

    public init(address: String, port: Int, remotePort: ForwardRemotePort, podPort: Int? = nil) {
        self.address = address
        self.port = port
        self.remotePort = remotePort
        self.podPort = podPort
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        address = try fields.string("address")
        port = try fields.int("port", in: 0...65535)
        remotePort = try ForwardRemotePort.read(fields, "remotePort")
        podPort = try fields.optionalInt("podPort", in: 1...65535)
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("address", address)
        object.set("port", port)
        object.set("remotePort", remotePort.json)
        object.set("podPort", podPort)
        return object.json
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    public var localEndpoint: String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
