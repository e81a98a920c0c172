import KlientWire

/// A field selector: `metadata.name=x`, `status.phase!=Running`,
/// `spec.nodeName==n`, joined by commas. Any dotted path into the object
/// works (values compare as strings; booleans and numbers in their JSON
/// spelling); `metadata.namespace`, `metadata.name`, `status.phase` and
/// `spec.nodeName` are the ones kubectl and controllers use.
public struct FieldSelector: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public var path: [String]
        public var value: String
        public var negated: Bool
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    /// - Throws: `StoreError.badRequest` for a part without an operator or a field.
    public init(parsing text: String) throws {
        guard text.utf8.count <= LabelSelector.maxLength else {
            throw StoreError.badRequest("field selector longer than \(LabelSelector.maxLength) bytes")
        }
        var reqs: [Requirement] = []
        for raw in text.split(separator: ",") {
            let part = raw.trimmingSpaces()
            if part.isEmpty { continue }
            let (field, value, negated): (String, String, Bool)
            if let r = part.range(of: "!=") {
                (field, value, negated) = (String(part[..<r.lowerBound]), String(part[r.upperBound...]), true)
            } else if let r = part.range(of: "==") {
                (field, value, negated) = (String(part[..<r.lowerBound]), String(part[r.upperBound...]), false)
            } else if let r = part.range(of: "=") {
                (field, value, negated) = (String(part[..<r.lowerBound]), String(part[r.upperBound...]), false)
            } else {
                throw StoreError.badRequest("invalid selector: '\(text)'; can't understand '\(part)'")
            }
            let f = field.trimmingSpaces()
            guard !f.isEmpty else { throw StoreError.badRequest("invalid field selector \"\(text)\": empty field") }
            reqs.append(Requirement(path: f.split(separator: ".").map(String.init), value: value.trimmingSpaces(), negated: negated))
        }
        self.requirements = reqs
    }

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(object: JSONValue) -> Bool {
        requirements.allSatisfy { r in
            let actual: String
            switch object[path: r.path] {
            case .string(let s)?: actual = s
            case .bool(let b)?: actual = b ? "true" : "false"
            case .int(let i)?: actual = String(i)
            case .double(let d)?: actual = String(d)
            default: actual = ""
            }
            return (actual == r.value) != r.negated
        }
    }
}
