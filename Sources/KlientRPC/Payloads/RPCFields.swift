import KlientWire

/// Typed access to the members of a params or result object, with errors
/// that name the field by its path (`"sessions[2].state"`).
struct RPCFields {
    let members: [String: JSONValue]
    /// Prefix for field names: "" at the top, "session." inside a member.
    let path: String

    init(_ value: JSONValue, path: String = "") throws(RPCError) {
        guard case .object(let members) = value else {
            let name = path.isEmpty ? "params" : "\"\(path.dropLast())\""
            throw RPCError.invalidParams("\(name) must be an object")
        }
        self.members = members
        self.path = path
    }

    private func name(_ key: String) -> String { "\"\(path)\(key)\"" }

    private func required(_ key: String, _ kind: String) throws(RPCError) -> JSONValue {
        guard let value = members[key], value != .null else {
            throw RPCError.invalidParams("\(name(key)) is missing; it must be \(kind)")
        }
        return value
    }

    private func optional(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    private func string(_ key: String, _ value: JSONValue) throws(RPCError) -> String {
        guard case .string(let s) = value else { throw RPCError.invalidParams("\(name(key)) must be a string") }
        return s
    }

    private func int64(_ key: String, _ value: JSONValue) throws(RPCError) -> Int64 {
        guard let n = value.intValue else { throw RPCError.invalidParams("\(name(key)) must be an integer") }
        return n
    }

    private func int32(_ key: String, _ value: JSONValue) throws(RPCError) -> Int32 {
        guard let n = Int32(exactly: try int64(key, value)) else {
            throw RPCError.invalidParams("\(name(key)) must be an integer between \(Int32.min) and \(Int32.max)")
        }
        return n
    }

    private func strings(_ key: String, _ value: JSONValue) throws(RPCError) -> [String] {
        guard case .array(let items) = value else { throw RPCError.invalidParams("\(name(key)) must be an array of strings") }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw RPCError.invalidParams("\(name("\(key)[\(i)]")) must be a string") }
            result.append(s)
        }
        return result
    }

    func string(_ key: String) throws(RPCError) -> String { try string(key, try required(key, "a string")) }
    func optionalString(_ key: String) throws(RPCError) -> String? { try optional(key).map { v throws(RPCError) in try string(key, v) } }
    func int(_ key: String) throws(RPCError) -> Int { Int(try int64(key, try required(key, "an integer"))) }
    func int64(_ key: String) throws(RPCError) -> Int64 { try int64(key, try required(key, "an integer")) }
    func int32(_ key: String) throws(RPCError) -> Int32 { try int32(key, try required(key, "an integer")) }
    func optionalInt32(_ key: String) throws(RPCError) -> Int32? { try optional(key).map { v throws(RPCError) in try int32(key, v) } }
    func optionalInt(_ key: String) throws(RPCError) -> Int? { try optional(key).map { v throws(RPCError) in Int(try int64(key, v)) } }

    /// An integer member that must lie in `range`.
    func int(_ key: String, in range: ClosedRange<Int>) throws(RPCError) -> Int {
        try checked(key, try int(key), in: range)
    }

    /// An optional integer member that, when present, must lie in `range`.
    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(RPCError) -> Int? {
        guard let n = try optionalInt(key) else { return nil }
        return try checked(key, n, in: range)
    }

    private func checked(_ key: String, _ n: Int, in range: ClosedRange<Int>) throws(RPCError) -> Int {
        guard range.contains(n) else {
            throw invalid(key, "must be an integer between \(range.lowerBound) and \(range.upperBound), not \(n)")
        }
        return n
    }

    func optionalDouble(_ key: String) throws(RPCError) -> Double? {
        guard let value = optional(key) else { return nil }
        guard let d = value.doubleValue else { throw invalid(key, "must be a number") }
        return d
    }

    func optionalBool(_ key: String) throws(RPCError) -> Bool? {
        guard let value = optional(key) else { return nil }
        guard case .bool(let b) = value else { throw invalid(key, "must be true or false") }
        return b
    }

    /// A member of any JSON type (null counts as missing).
    func value(_ key: String, _ kind: String) throws(RPCError) -> JSONValue { try required(key, kind) }

    /// An `invalid params` error naming the member: `"ports[0].local" DETAIL`.
    func invalid(_ key: String, _ detail: String) -> RPCError {
        RPCError.invalidParams("\(name(key)) \(detail)")
    }

    func bool(_ key: String) throws(RPCError) -> Bool {
        guard case .bool(let b) = try required(key, "true or false") else {
            throw RPCError.invalidParams("\(name(key)) must be true or false")
        }
        return b
    }

    func strings(_ key: String) throws(RPCError) -> [String] { try strings(key, try required(key, "an array of strings")) }
    func optionalStrings(_ key: String) throws(RPCError) -> [String]? { try optional(key).map { v throws(RPCError) in try strings(key, v) } }

    /// The fields of an object member.
    func object(_ key: String) throws(RPCError) -> RPCFields {
        try RPCFields(try required(key, "an object"), path: "\(path)\(key).")
    }

    func optionalObjects(_ key: String) throws(RPCError) -> [RPCFields]? {
        guard optional(key) != nil else { return nil }
        return try objects(key)
    }

    func optionalObject(_ key: String) throws(RPCError) -> RPCFields? {
        try optional(key).map { v throws(RPCError) in try RPCFields(v, path: "\(path)\(key).") }
    }

    /// The fields of each element of an array of objects.
    func objects(_ key: String) throws(RPCError) -> [RPCFields] {
        guard case .array(let items) = try required(key, "an array of objects") else {
            throw RPCError.invalidParams("\(name(key)) must be an array of objects")
        }
        var result: [RPCFields] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            result.append(try RPCFields(item, path: "\(path)\(key)[\(i)]."))
        }
        return result
    }
}

/// Builds a payload's JSON object, leaving out nil optionals.
struct RPCObjectBuilder {
    var members: [String: JSONValue] = [:]

    mutating func set(_ key: String, _ value: String) { members[key] = .string(value) }
    mutating func set(_ key: String, _ value: String?) { if let value { members[key] = .string(value) } }
    mutating func set(_ key: String, _ value: Int) { members[key] = .int(Int64(value)) }
    mutating func set(_ key: String, _ value: Int64) { members[key] = .int(value) }
    mutating func set(_ key: String, _ value: Int32) { members[key] = .int(Int64(value)) }
    mutating func set(_ key: String, _ value: Int32?) { if let value { members[key] = .int(Int64(value)) } }
    mutating func set(_ key: String, _ value: Int?) { if let value { members[key] = .int(Int64(value)) } }
    mutating func set(_ key: String, _ value: Bool) { members[key] = .bool(value) }
    /// A whole number is written as an integer (`30`, not `30.0`), as JSONEncoder does.
    mutating func set(_ key: String, _ value: Double?) {
        guard let value else { return }
        if value == value.rounded(), abs(value) < 9.0e15 { members[key] = .int(Int64(value)) } else { members[key] = .double(value) }
    }
    mutating func set(_ key: String, _ value: [String]) { members[key] = .array(value.map(JSONValue.string)) }
    mutating func set(_ key: String, _ value: [String]?) { if let value { set(key, value) } }
    mutating func set(_ key: String, _ value: JSONValue?) { if let value { members[key] = value } }

    var json: JSONValue { .object(members) }
}
