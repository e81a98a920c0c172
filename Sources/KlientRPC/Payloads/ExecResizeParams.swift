import KlientWire

/// Params of `exec.resize`: the client's terminal changed size (SIGWINCH).
public struct ExecResizeParams: RPCPayload {
    /// The exec or attach session.
    public var id: String
    /// Columns, 0…65535.
    public var width: Int
    /// Rows, 0…65535.
    public var height: Int

    public init(id: String, width: Int, height: Int) {
        self.id = id
        self.width = width
        self.height = height
    }

    /// - Throws: ``RPCError`` -32602 for a missing member or a size outside 0…65535.
    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        id = try fields.string("id")
        width = try fields.int("width", in: TerminalSize.range)
        height = try fields.int("height", in: TerminalSize.range)
    }

    public var size: TerminalSize { TerminalSize(width: width, height: height) }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("id", id)
        object.set("width", width)
        object.set("height", height)
        return object.json
    }
}
