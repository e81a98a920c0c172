import KlientWire

/// Result of `exec.wait`: how the session ended. Sent once every byte of
/// output has been written to the client's descriptors and klientd has
/// closed its copies of them.
public struct ExecExitResult: RPCPayload {
    /// The session's id.
    public var id: String
    /// ``ExecEnd``: `"exited"`, `"stopped"` or `"outputClosed"` (open set).
    public var end: String
    /// The remote command's exit status (0…255), with `end` `"exited"`.
    public var exitCode: Int32?
    /// What the cluster said about a failure (the Status message), or why the session was stopped.
    public var message: String?

    public init(id: String, end: String, exitCode: Int32? = nil, message: String? = nil) {
        self.id = id
        self.end = end
        self.exitCode = exitCode
        self.message = message
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        id = try fields.string("id")
        end = try fields.string("end")
        exitCode = try fields.optionalInt32("exitCode")
        message = try fields.optionalString("message")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("id", id)
        object.set("end", end)
        object.set("exitCode", exitCode)
        object.set("message", message)
        return object.json
    }
}
