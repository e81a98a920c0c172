/// An ordered list of HTTP header fields (RFC 9110 §5).
///
/// Order and duplicates are kept exactly as added or received, because some
/// fields (`Set-Cookie`, `Sec-WebSocket-Protocol` lines) cannot be merged.
/// Lookups compare names ASCII case-insensitively (RFC 9110 §5.1); names keep
/// the spelling they were given, and equality (`==`) compares names and values
/// exactly, in order. Nothing is validated here: the encoders reject
/// names and values that would break the framing (see ``HTTPEncodeError``).
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    /// One header field line.
    public typealias Element = (name: String, value: String)

    struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    var fields: [Field]

    /// An empty header list.
    public init() { fields = [] }

    /// Fields in the given order; duplicates are kept.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// Fields in literal order; a name may repeat.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// Number of field lines (duplicates counted separately).
    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    /// Appends a field line after the existing ones, even if the name is already present.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field called `name`, then appends one with `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field called `name` (case-insensitive).
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    /// Whether at least one field is called `name` (case-insensitive).
    public func contains(name: String) -> Bool {
        fields.contains { Self.namesEqual($0.name, name) }
    }

    /// The first value of `name`, or nil. Setting replaces every field of that
    /// name (nil removes them). Use ``values(for:)`` for fields that repeat.
    public subscript(name: String) -> String? {
        get { fields.first { Self.namesEqual($0.name, name) }?.value }
        set {
            if let newValue { replaceOrAdd(name: name, value: newValue) } else { remove(name: name) }
        }
    }

    /// Every value of `name` in order, one per field line (not split on commas).
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesEqual($0.name, name) }.map(\.value)
    }

    public func makeIterator() -> AnyIterator<Element> {
        var base = fields.makeIterator()
        return AnyIterator { base.next().map { ($0.name, $0.value) } }
    }

    public var description: String {
        "[" + fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }

    /// ASCII case-insensitive comparison without allocating lowercased copies.
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            guard HTTPSyntax.lowercase(p) == HTTPSyntax.lowercase(q) else { return false }
        }
        return true
    }
}
