/// The uncompressed header block layout (SPDY draft 3, §2.6.10): a big-endian
/// `UInt32` pair count, then per pair a `UInt32` name length, the name, a
/// `UInt32` value length and the value (several values joined by NUL).
extension SPDYHeaders {
    /// The uncompressed header block for these headers.
    ///
    /// - Parameter streamID: only used to label errors.
    /// - Throws: ``SPDYProtocolError/emptyHeaderName(streamID:)``,
    ///   ``SPDYProtocolError/uppercaseHeaderName(streamID:name:)``,
    ///   ``SPDYProtocolError/duplicateHeaderName(streamID:name:)`` and
    ///   ``SPDYProtocolError/invalidHeaderValue(streamID:name:)`` for fields the
    ///   wire cannot carry (§2.6.10 rules).
    public func encodedBlock(streamID: UInt32 = 0) throws(SPDYProtocolError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + fields.reduce(0) { $0 + 8 + $1.name.utf8.count + 16 * $1.values.count })
        SPDYBytes.append32(&out, UInt32(fields.count))
        var seen = Set<String>()
        for field in fields {
            try Self.validateName(Array(field.name.utf8), name: field.name, streamID: streamID)
            guard seen.insert(field.name).inserted else {
                throw .duplicateHeaderName(streamID: streamID, name: field.name)
            }
            guard !field.values.isEmpty,
                  !field.values.contains(where: { $0.utf8.contains(0) }),
                  field.values.count == 1 || !field.values.contains(where: \.isEmpty)
            else { throw .invalidHeaderValue(streamID: streamID, name: field.name) }
            SPDYBytes.append32(&out, UInt32(field.name.utf8.count))
            out.append(contentsOf: field.name.utf8)
            let valueLength = field.values.reduce(field.values.count - 1) { $0 + $1.utf8.count }
            SPDYBytes.append32(&out, UInt32(valueLength))
            for (i, value) in field.values.enumerated() {
                if i > 0 { out.append(0) }
                out.append(contentsOf: value.utf8)
            }
        }
        return out
    }

    /// Parses an uncompressed header block.
    ///
    /// - Parameters:
    ///   - block: the inflated block, exactly (trailing bytes are an error).
    ///   - streamID: the stream the block belongs to, used to label errors.
    ///   - maxPairs: the largest pair count accepted.
    /// - Throws: stream errors only (the block was already inflated, so the
    ///   connection's compression state is intact):
    ///   ``SPDYProtocolError/tooManyHeaderPairs(streamID:count:limit:)``,
    ///   ``SPDYProtocolError/truncatedHeaderBlock(streamID:)``,
    ///   ``SPDYProtocolError/trailingHeaderBlockBytes(streamID:count:)``, and the
    ///   name and value errors of §2.6.10 (empty, uppercase or duplicate names,
    ///   empty values among several or leading/trailing NULs, non-UTF-8 text).
    ///   Uppercase names are rejected, not folded: spdystream also reports them
    ///   as an error (`UnlowercasedHeaderName`).
    public init(decodingBlock block: [UInt8], streamID: UInt32, maxPairs: Int) throws(SPDYProtocolError) {
        var reader = BlockReader(bytes: block)
        guard let count = reader.uint32() else { throw .truncatedHeaderBlock(streamID: streamID) }
        guard count <= maxPairs else {
            throw .tooManyHeaderPairs(streamID: streamID, count: count, limit: maxPairs)
        }
        // Each pair takes at least 8 bytes, so a count the block cannot hold is truncation.
        guard UInt64(count) * 8 <= UInt64(reader.remaining) else {
            throw .truncatedHeaderBlock(streamID: streamID)
        }
        var fields: [Field] = []
        fields.reserveCapacity(Int(count))
        var seen = Set<String>()
        for _ in 0..<count {
            guard let nameBytes = reader.lengthPrefixed(), let valueBytes = reader.lengthPrefixed() else {
                throw .truncatedHeaderBlock(streamID: streamID)
            }
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw .invalidHeaderEncoding(streamID: streamID)
            }
            try Self.validateName(nameBytes, name: name, streamID: streamID)
            guard seen.insert(name).inserted else { throw .duplicateHeaderName(streamID: streamID, name: name) }
            var values: [String] = []
            if valueBytes.isEmpty {
                values = [""]
            } else {
                for part in valueBytes.split(separator: 0, omittingEmptySubsequences: false) {
                    guard !part.isEmpty else { throw .invalidHeaderValue(streamID: streamID, name: name) }
                    guard let value = String(validating: part, as: UTF8.self) else {
                        throw .invalidHeaderEncoding(streamID: streamID)
                    }
                    values.append(value)
                }
            }
            fields.append(Field(name: name, values: values))
        }
        guard reader.remaining == 0 else {
            throw .trailingHeaderBlockBytes(streamID: streamID, count: reader.remaining)
        }
        self.init(fields)
    }

    private static func validateName<C: Collection<UInt8>>(
        _ bytes: C, name: String, streamID: UInt32
    ) throws(SPDYProtocolError) {
        guard !bytes.isEmpty else { throw .emptyHeaderName(streamID: streamID) }
        guard !bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else {
            throw .uppercaseHeaderName(streamID: streamID, name: name)
        }
    }
}

/// Cursor over an inflated header block.
private struct BlockReader {
    let bytes: [UInt8]
    var index = 0

    var remaining: Int { bytes.count - index }

    mutating func uint32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { index += 4 }
        return UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16
            | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    mutating func lengthPrefixed() -> ArraySlice<UInt8>? {
        guard let length = uint32(), Int(length) <= remaining else { return nil }
        defer { index += Int(length) }
        return bytes[index..<index + Int(length)]
    }
}
