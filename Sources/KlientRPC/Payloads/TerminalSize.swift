import KlientWire

/// A terminal's size in character cells (TIOCGWINSZ), in `exec.start` and `exec.resize`.
public struct TerminalSize: RPCPayload, Hashable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// The values accepted for either dimension (a `struct winsize` member).
    public static let range = 0...65535

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// - Throws: ``RPCError`` -32602 for a missing member or one outside 0…65535.
    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        width = try fields.int("width", in: Self.range)
        height = try fields.int("height", in: Self.range)
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("width", width)
        object.set("height", height)
        return object.json
    }
}
