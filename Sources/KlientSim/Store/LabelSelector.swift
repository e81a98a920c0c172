import KlientWire

/// A Kubernetes label selector in its string form: `a=b`, `a==b`, `a!=b`,
/// `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (does not exist), joined
/// by commas (all must hold). The empty selector matches everything.
public struct LabelSelector: Sendable, Equatable {
    public enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    public var requirements: [Requirement]

    /// Longest selector accepted (a guard against absurd query strings).
    public static let maxLength = 8192

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    /// Parses the string form.
    /// - Throws: `StoreError.badRequest` naming the malformed part.
    public init(parsing text: String) throws {
        guard text.utf8.count <= Self.maxLength else {
            throw StoreError.badRequest("label selector longer than \(Self.maxLength) bytes")
        }
        var requirements: [Requirement] = []
        for part in Self.splitTopLevel(text) {
            let p = part.trimmingSpaces()
            if p.isEmpty { continue }
            requirements.append(try Self.parseRequirement(p, whole: text))
        }
        self.requirements = requirements
    }

    /// Builds a selector from a `metav1.LabelSelector` object
    /// (`matchLabels`, `matchExpressions`).
    public init(object: JSONValue) throws {
        var reqs: [Requirement] = []
        for (k, v) in (object["matchLabels"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            reqs.append(.equals(k, v.stringValue ?? ""))
        }
        for expr in object["matchExpressions"]?.arrayValue ?? [] {
            let key = expr["key"]?.stringValue ?? ""
            let values = Set((expr["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch expr["operator"]?.stringValue ?? "" {
            case "In": reqs.append(.isIn(key, values))
            case "NotIn": reqs.append(.notIn(key, values))
            case "Exists": reqs.append(.exists(key))
            case "DoesNotExist": reqs.append(.doesNotExist(key))
            case let op: throw StoreError.badRequest("\"\(op)\" is not a valid label selector operator")
            }
        }
        self.requirements = reqs
    }

    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .isIn(let k, let vs): return labels[k].map { vs.contains($0) } ?? false
            case .notIn(let k, let vs): return labels[k].map { !vs.contains($0) } ?? true
            case .exists(let k): return labels[k] != nil
            case .doesNotExist(let k): return labels[k] == nil
            }
        }
    }

    /// Whether the object's `metadata.labels` match.
    public func matches(object: JSONValue) -> Bool {
        if requirements.isEmpty { return true }
        let labels = (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return matches(labels)
    }

    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }

    private static func parseRequirement(_ p: String, whole: String) throws -> Requirement {
        func bad(_ why: String) -> StoreError {
            .badRequest("unable to parse requirement: \(why) in label selector \"\(whole)\"")
        }
        func checkKey(_ k: String) throws -> String {
            let key = k.trimmingSpaces()
            guard !key.isEmpty, key.utf8.count <= 317,
                  key.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
                throw bad("invalid label key \"\(key)\"")
            }
            return key
        }
        func checkValue(_ v: String) throws -> String {
            let value = v.trimmingSpaces()
            guard value.utf8.count <= 63, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw bad("invalid label value \"\(value)\"")
            }
            return value
        }
        if p.hasPrefix("!") { return .doesNotExist(try checkKey(String(p.dropFirst()))) }
        if let r = p.range(of: "!=") {
            return .notEquals(try checkKey(String(p[..<r.lowerBound])), try checkValue(String(p[r.upperBound...])))
        }
        if let r = p.range(of: "==") {
            return .equals(try checkKey(String(p[..<r.lowerBound])), try checkValue(String(p[r.upperBound...])))
        }
        if let r = p.range(of: "=") {
            return .equals(try checkKey(String(p[..<r.lowerBound])), try checkValue(String(p[r.upperBound...])))
        }
        for (word, notIn) in [(" notin ", true), (" in ", false)] {
            if let r = p.range(of: word) {
                let key = try checkKey(String(p[..<r.lowerBound]))
                let rest = p[r.upperBound...].trimmingSpaces()
                guard rest.hasPrefix("("), rest.hasSuffix(")") else { throw bad("expected a parenthesized set after \(word.trimmingSpaces())") }
                let inner = rest.dropFirst().dropLast()
                let values = Set(try inner.split(separator: ",", omittingEmptySubsequences: false).map { try checkValue(String($0)) })
                return notIn ? .notIn(key, values) : .isIn(key, values)
            }
        }
        return .exists(try checkKey(p))
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
