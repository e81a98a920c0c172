/// The name/value pairs of a SPDY/3 header block (SPDY draft 3, §2.6.10), in
/// wire order.
///
/// Each field has a lowercase, non-empty name and one or more values; on the
/// wire several values share one entry, joined by NUL bytes. The spec forbids
/// two entries with the same name, so ``add(_:_:)`` appends to an existing
/// field instead of making a second one.
///
/// The type itself accepts anything; ``SPDYFrameEncoder`` rejects what the
/// wire cannot carry (empty or uppercase names, duplicate names, no values,
/// values containing NUL, an empty value among several), and
/// ``SPDYFrameDecoder`` rejects the same from the peer.
///
/// kubectl's stream headers look like `["streamtype": "data", "port": "8080",
/// "requestid": "0"]`; a dictionary literal keeps that order.
public struct SPDYHeaders: Equatable, Sendable, ExpressibleByDictionaryLiteral, Sequence,
    CustomStringConvertible
{
    /// One header entry.
    public struct Field: Equatable, Sendable {
        public var name: String
        public var values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    /// The fields in wire order.
    public private(set) var fields: [Field]

    public init() { fields = [] }

    /// Headers made of exactly these fields (no merging, no validation).
    public init(_ fields: [Field]) { self.fields = fields }

    /// Builds the headers in literal order; a repeated name adds a value to the
    /// existing field.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = []
        for (name, value) in elements { add(name, value) }
    }

    /// Number of fields (not values).
    public var count: Int { fields.count }

    public var isEmpty: Bool { fields.isEmpty }

    /// Appends `value` to the field called `name`, creating the field at the end
    /// if there is none.
    public mutating func add(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { $0.name == name }) {
            fields[i].values.append(value)
        } else {
            fields.append(Field(name: name, values: [value]))
        }
    }

    /// Replaces the values of the field called `name` (or appends a new field).
    public mutating func set(_ name: String, _ values: [String]) {
        if let i = fields.firstIndex(where: { $0.name == name }) {
            fields[i].values = values
        } else {
            fields.append(Field(name: name, values: values))
        }
    }

    /// Removes the field called `name`, if present.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name == name }
    }

    /// The first value of the field called `name` (compared after lowercasing
    /// `name`, since wire names are lowercase), or nil.
    public subscript(name: String) -> String? {
        values(for: name).first
    }

    /// Every value of the field called `name` (lowercased), or `[]`.
    public func values(for name: String) -> [String] {
        let key = name.lowercased()
        return fields.first { $0.name == key }?.values ?? []
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public var description: String {
        "[" + fields.map { "\($0.name): \($0.values.joined(separator: ", "))" }.joined(separator: "; ") + "]"
    }
}
