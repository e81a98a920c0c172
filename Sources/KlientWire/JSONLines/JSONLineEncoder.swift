/// Frames records as JSON lines: the record's bytes followed by `\n`.
///
/// Refuses records that would not come back as exactly one line from
/// ``JSONLineDecoder``: ones containing CR or LF, empty ones, and (with a
/// limit) over-long ones.
public struct JSONLineEncoder: Sendable {
    /// Longest record accepted, or nil for no limit. Set it to the peer's
    /// decoder limit to fail at the sender instead of the receiver.
    public let maxLineLength: Int?

    public init(maxLineLength: Int? = nil) {
        self.maxLineLength = maxLineLength
    }

    /// Appends `record` and `\n` to `out`.
    /// - Throws: ``JSONLineError/embeddedNewline(offset:)``,
    ///   ``JSONLineError/emptyLine`` or ``JSONLineError/lineTooLong(limit:)``;
    ///   nothing is appended on error.
    public func encode<C: Collection>(_ record: C, into out: inout [UInt8]) throws(JSONLineError)
    where C.Element == UInt8 {
        let count = record.count
        guard count > 0 else { throw .emptyLine }
        if let maxLineLength, count > maxLineLength { throw .lineTooLong(limit: maxLineLength) }
        if let offset = record.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            throw .embeddedNewline(offset: record.distance(from: record.startIndex, to: offset))
        }
        out.reserveCapacity(out.count + count + 1)
        out.append(contentsOf: record)
        out.append(0x0A)
    }

    /// `record` followed by `\n`; see ``encode(_:into:)``.
    public func encode<C: Collection>(_ record: C) throws(JSONLineError) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        try encode(record, into: &out)
        return out
    }
}
