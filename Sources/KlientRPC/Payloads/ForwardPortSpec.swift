import KlientWire

/// One port of a forward: a local port (nil or 0: a free port, chosen by
/// klientd and reported in ``ForwardListener/port``) and the remote port.
public struct ForwardPortSpec: RPCPayload, Hashable, CustomStringConvertible {
    /// The local port to listen on; nil or 0 for a free one.
    public var local: Int?
    /// The remote port: a number or a port name.
    public var remote: ForwardRemotePort

    public init(local: Int? = nil, remote: ForwardRemotePort) {
        self.local = local
        self.remote = remote
    }

    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        local = try fields.optionalInt("local", in: 0...65535)
        remote = try ForwardRemotePort.read(fields, "remote")
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("local", local)
        object.set("remote", remote.json)
        return object.json
    }

    /// `8080:80`, `:http` for a free local port.
    public var description: String {
        guard let local, local != 0 else { return ":\(remote)" }
        return "\(local):\(remote)"
    }

    /// The forms klientctl accepts, for error messages and help.
    public static let acceptedForms =
        "[LOCAL:]REMOTE, e.g. 8080:80, :80 or 0:80 (a free local port), 80 (the same local port), http or 8080:http (a port name)"

    /// Parses `[LOCAL:]REMOTE` as typed on klientctl's command line:
    ///
    /// | text | local | remote |
    /// |---|---|---|
    /// | `8080:80` | 8080 | 80 |
    /// | `:80`, `0:80` | nil (free port) | 80 |
    /// | `80` | 80 | 80 |
    /// | `http` | nil (free port) | `http` |
    /// | `8080:http` | 8080 | `http` |
    ///
    /// - Throws: ``ForwardSyntaxError`` saying what is wrong and listing the accepted forms.
    public init(parsing text: String) throws(ForwardSyntaxError) {
        func failure(_ what: String) -> ForwardSyntaxError {
            ForwardSyntaxError("invalid port \"\(text)\": \(what); use \(Self.acceptedForms)")
        }
        guard !text.isEmpty else { throw failure("it is empty") }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw failure("more than one \":\"") }
        let remoteText = String(parts.last!)
        guard !remoteText.isEmpty else { throw failure("the remote port after \":\" is missing") }
        let remote: ForwardRemotePort
        do {
            remote = try ForwardRemotePort(parsing: remoteText)
        } catch {
            throw failure(error.message)
        }
        var local: Int?
        if parts.count == 2 {
            let localText = parts[0]
            if !localText.isEmpty {
                guard localText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw failure("the local port \"\(localText)\" is not a number")
                }
                guard let n = Int(localText), n <= 65535 else {
                    throw failure("the local port \(localText) is out of range: local ports are 0-65535")
                }
                local = n == 0 ? nil : n
            }
        } else {
            local = remote.number
        }
        self.init(local: local, remote: remote)
    }
}
