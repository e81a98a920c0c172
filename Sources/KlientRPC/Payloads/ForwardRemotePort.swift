import KlientWire

/// The remote side of a forwarded port, as the user gave it: a number, or a
/// port name (an IntOrString on the wire: JSON number `80` or string `"http"`).
///
/// For a pod target the number is the pod port and a name is looked up in
/// the pod's container ports. For a service target it is the service port
/// (number or name), mapped through its `targetPort`.
public enum ForwardRemotePort: Sendable, Hashable, Codable, CustomStringConvertible {
    case number(Int)
    case name(String)

    /// `80` or `http`.
    public var description: String {
        switch self {
        case .number(let n): String(n)
        case .name(let s): s
        }
    }

    /// The JSON form: a number or a string.
    public var json: JSONValue {
        switch self {
        case .number(let n): .int(Int64(n))
        case .name(let s): .string(s)
        }
    }

    /// The number, for `.number`.
    public var number: Int? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// Why this is not a valid remote port (number 1…65535, or a port name
    /// per ``portNameProblem(_:)``), or nil.
    public var problem: String? {
        switch self {
        case .number(let n):
            (1...65535).contains(n) ? nil : "must be a port number between 1 and 65535, not \(n)"
        case .name(let s):
            Self.portNameProblem(s).map { "\"\(s)\" is not a valid port name: \($0)" }
        }
    }

    /// Parses `80` (a number: decimal digits only) or `http` (a name).
    /// - Throws: ``ForwardSyntaxError`` for a number out of 1…65535 or an invalid name.
    public init(parsing text: String) throws(ForwardSyntaxError) {
        guard !text.isEmpty else { throw ForwardSyntaxError("the remote port is empty") }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let n = Int(text), (1...65535).contains(n) else {
                throw ForwardSyntaxError("remote port \(text) is out of range: port numbers are 1-65535")
            }
            self = .number(n)
        } else {
            if let problem = Self.portNameProblem(text) {
                throw ForwardSyntaxError("\"\(text)\" is neither a port number (1-65535) nor a valid port name: \(problem)")
            }
            self = .name(text)
        }
    }

    /// Why `name` is not a Kubernetes port name (IANA_SVC_NAME, RFC 6335 as
    /// Kubernetes validates it: 1–15 characters, lowercase letters, digits and
    /// `-`, at least one letter, no `-` at either end, no `--`), or nil.
    public static func portNameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { return "it is empty" }
        guard bytes.count <= 15 else { return "port names are at most 15 characters" }
        var hasLetter = false
        for b in bytes {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): hasLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): break
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return "port names are lowercase"
            default: return "port names contain only lowercase letters, digits and '-'"
            }
        }
        guard hasLetter else { return "port names contain at least one letter" }
        guard bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
            return "port names do not begin or end with '-'"
        }
        guard !name.contains("--") else { return "port names do not contain \"--\"" }
        return nil
    }

    /// Reads a member that holds a remote port, checking it.
    static func read(_ fields: RPCFields, _ key: String) throws(RPCError) -> ForwardRemotePort {
        let port: ForwardRemotePort
        switch try fields.value(key, "a port number or a port name") {
        case .string(let s): port = .name(s)
        case let value:
            guard let n = value.intValue else { throw fields.invalid(key, "must be a port number or a port name (a string)") }
            port = .number(Int(clamping: n))
        }
        if let problem = port.problem { throw fields.invalid(key, problem) }
        return port
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self) {
            self = .number(n)
        } else {
            self = .name(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let n): try container.encode(n)
        case .name(let s): try container.encode(s)
        }
    }
}
