import KlientWire

/// JSON Patch (RFC 6902) with JSON Pointer paths (RFC 6901).
public enum JSONPatch {
    /// Why a patch could not be applied (the API answers 422 or 400).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Most operations accepted in one patch.
    public static let maxOperations = 10_000

    /// Applies the operations in order (RFC 6902 §3: all or nothing).
    /// - Throws: ``Failure`` for a malformed operation, a missing path, an
    ///   out-of-range index, or a failed `test` (§4.6).
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws -> JSONValue {
        guard let operations = patch.arrayValue else { throw Failure(description: "a JSON patch must be an array of operations") }
        guard operations.count <= maxOperations else { throw Failure(description: "too many patch operations (max \(maxOperations))") }
        var doc = document
        for op in operations {
            guard let name = op["op"]?.stringValue else { throw Failure(description: "missing \"op\" in \(op.jsonString)") }
            guard let path = op["path"]?.stringValue else { throw Failure(description: "missing \"path\" in \(op.jsonString)") }
            let tokens = try pointer(path)
            switch name {
            case "add":
                guard let value = op["value"] else { throw Failure(description: "missing \"value\" for add") }
                doc = try add(doc, tokens[...], value)
            case "remove":
                doc = try remove(doc, tokens[...]).0
            case "replace":
                guard let value = op["value"] else { throw Failure(description: "missing \"value\" for replace") }
                doc = try add(try remove(doc, tokens[...]).0, tokens[...], value, replacing: true)
            case "move":
                guard let from = op["from"]?.stringValue else { throw Failure(description: "missing \"from\" for move") }
                let (without, value) = try remove(doc, try pointer(from)[...])
                doc = try add(without, tokens[...], value)
            case "copy":
                guard let from = op["from"]?.stringValue else { throw Failure(description: "missing \"from\" for copy") }
                doc = try add(doc, tokens[...], try get(doc, try pointer(from)))
            case "test":
                guard let value = op["value"] else { throw Failure(description: "missing \"value\" for test") }
                if try get(doc, tokens) != value {
                    throw Failure(description: "test failed: value at \(path) is not \(value.jsonString)")
                }
            default:
                throw Failure(description: "unknown patch operation \"\(name)\"")
            }
        }
        return doc
    }

    /// Splits an RFC 6901 pointer, unescaping `~1` → `/` then `~0` → `~`.
    static func pointer(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw Failure(description: "JSON pointer \"\(path)\" must start with /") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ doc: JSONValue, _ tokens: [String]) throws -> JSONValue {
        var current = doc
        for t in tokens {
            switch current {
            case .object(let o):
                guard let next = o[t] else { throw Failure(description: "path member \"\(t)\" not found") }
                current = next
            case .array(let a):
                guard let i = Int(t), a.indices.contains(i) else { throw Failure(description: "array index \"\(t)\" out of range") }
                current = a[i]
            default:
                throw Failure(description: "cannot descend into a scalar at \"\(t)\"")
            }
        }
        return current
    }

    private static func add(_ doc: JSONValue, _ tokens: ArraySlice<String>, _ value: JSONValue, replacing: Bool = false) throws -> JSONValue {
        guard let t = tokens.first else { return value }
        let rest = tokens.dropFirst()
        switch doc {
        case .object(var o):
            if rest.isEmpty {
                o[t] = value
            } else {
                guard let child = o[t] else { throw Failure(description: "path member \"\(t)\" not found") }
                o[t] = try add(child, rest, value, replacing: replacing)
            }
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if t == "-" { a.append(value); return .array(a) }
                guard let i = Int(t), i >= 0, i <= a.count else { throw Failure(description: "array index \"\(t)\" out of range") }
                a.insert(value, at: i)
            } else {
                guard let i = Int(t), a.indices.contains(i) else { throw Failure(description: "array index \"\(t)\" out of range") }
                a[i] = try add(a[i], rest, value, replacing: replacing)
            }
            return .array(a)
        default:
            throw Failure(description: "cannot add to a scalar at \"\(t)\"")
        }
    }

    private static func remove(_ doc: JSONValue, _ tokens: ArraySlice<String>) throws -> (JSONValue, JSONValue) {
        guard let t = tokens.first else { throw Failure(description: "cannot remove the whole document") }
        let rest = tokens.dropFirst()
        switch doc {
        case .object(var o):
            guard let child = o[t] else { throw Failure(description: "path member \"\(t)\" not found") }
            if rest.isEmpty {
                o[t] = nil
                return (.object(o), child)
            }
            let (updated, removed) = try remove(child, rest)
            o[t] = updated
            return (.object(o), removed)
        case .array(var a):
            guard let i = Int(t), a.indices.contains(i) else { throw Failure(description: "array index \"\(t)\" out of range") }
            if rest.isEmpty {
                let removed = a.remove(at: i)
                return (.array(a), removed)
            }
            let (updated, removed) = try remove(a[i], rest)
            a[i] = updated
            return (.array(a), removed)
        default:
            throw Failure(description: "cannot remove from a scalar at \"\(t)\"")
        }
    }
}
