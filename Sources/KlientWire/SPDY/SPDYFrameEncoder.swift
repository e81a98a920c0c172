/// Serialises ``SPDYFrame`` values into SPDY/3 wire bytes (SPDY draft 3, §2.2
/// and §2.6), compressing header blocks with the connection's deflate context.
///
/// One encoder belongs to the sending direction of one connection: it holds
/// that direction's ``SPDYHeaderBlockCompressor``, and every frame with a
/// header block (SYN_STREAM, SYN_REPLY, HEADERS) must be written to the wire
/// in the order it was encoded. Copies of the struct share the context, so
/// keep one. Not thread-safe; encode under the connection's write lock.
///
/// Every check runs before the header block is compressed, so a thrown error
/// never advances the compression context.
public struct SPDYFrameEncoder {
    /// The largest payload the 24-bit length field can carry.
    public static let maxLength = 0xFF_FFFF

    private let compressor: SPDYHeaderBlockCompressor

    /// - Parameter compressionLevel: zlib level for header blocks (0…9).
    public init(compressionLevel: Int32 = 9) {
        compressor = SPDYHeaderBlockCompressor(level: compressionLevel)
    }

    /// Encodes `frame` and returns its bytes.
    ///
    /// - Throws: see ``encode(_:into:)``.
    public func encode(_ frame: SPDYFrame) throws(SPDYProtocolError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(frame, into: &out)
        return out
    }

    /// Appends the wire bytes of `frame` to `out`.
    ///
    /// - Throws: ``SPDYProtocolError`` for frames the wire cannot carry: stream
    ///   ID 0 where a stream is required (DATA, SYN_STREAM, SYN_REPLY,
    ///   RST_STREAM, HEADERS) or any ID above 2³¹−1; PING ID 0 (spdystream
    ///   rejects it); RST_STREAM status 0; priority above 7; SETTINGS IDs above
    ///   2²⁴−1; WINDOW_UPDATE deltas outside 1…2³¹−1; payloads above 2²⁴−1
    ///   bytes; and header fields that break §2.6.10. On error `out` is unchanged.
    public func encode(_ frame: SPDYFrame, into out: inout [UInt8]) throws(SPDYProtocolError) {
        switch frame {
        case let .data(streamID, flags, payload):
            try Self.encodeDataFrameHeader(streamID: streamID, flags: flags, length: payload.count, into: &out)
            out.append(contentsOf: payload)

        case let .synStream(streamID, associatedID, priority, slot, flags, headers):
            try Self.checkStream(streamID, .synStream)
            guard associatedID <= 0x7FFF_FFFF else {
                throw .invalidStreamID(kind: .synStream, streamID: associatedID)
            }
            guard priority <= 7 else { throw .invalidPriority(priority) }
            let block = try compressedBlock(headers, streamID: streamID, kind: .synStream, fixed: 10)
            Self.controlHeader(.synStream, flags: flags.rawValue, length: 10 + block.count, into: &out)
            SPDYBytes.append32(&out, streamID)
            SPDYBytes.append32(&out, associatedID)
            out.append(priority << 5)
            out.append(slot)
            out.append(contentsOf: block)

        case let .synReply(streamID, flags, headers):
            try encodeHeadersLike(.synReply, streamID: streamID, flags: flags, headers: headers, into: &out)

        case let .headers(streamID, flags, headers):
            try encodeHeadersLike(.headers, streamID: streamID, flags: flags, headers: headers, into: &out)

        case let .rstStream(streamID, status):
            try Self.checkStream(streamID, .rstStream)
            guard status.rawValue != 0 else { throw .invalidRstStatus(streamID: streamID) }
            Self.controlHeader(.rstStream, flags: 0, length: 8, into: &out)
            SPDYBytes.append32(&out, streamID)
            SPDYBytes.append32(&out, status.rawValue)

        case let .settings(flags, entries):
            let length = 4 + 8 * entries.count
            guard length <= Self.maxLength else {
                throw .controlFrameTooLarge(kind: .settings, length: length, limit: Self.maxLength)
            }
            if let bad = entries.first(where: { $0.id > 0xFF_FFFF }) { throw .invalidSettingsID(bad.id) }
            Self.controlHeader(.settings, flags: flags.rawValue, length: length, into: &out)
            SPDYBytes.append32(&out, UInt32(entries.count))
            for entry in entries {
                SPDYBytes.append32(&out, UInt32(entry.flags.rawValue) << 24 | entry.id)
                SPDYBytes.append32(&out, entry.value)
            }

        case .noop:
            Self.controlHeader(.noop, flags: 0, length: 0, into: &out)

        case let .ping(id):
            guard id != 0 else { throw .invalidStreamID(kind: .ping, streamID: 0) }
            Self.controlHeader(.ping, flags: 0, length: 4, into: &out)
            SPDYBytes.append32(&out, id)

        case let .goAway(lastGoodStreamID, status):
            guard lastGoodStreamID <= 0x7FFF_FFFF else {
                throw .invalidStreamID(kind: .goAway, streamID: lastGoodStreamID)
            }
            Self.controlHeader(.goAway, flags: 0, length: 8, into: &out)
            SPDYBytes.append32(&out, lastGoodStreamID)
            SPDYBytes.append32(&out, status.rawValue)

        case let .windowUpdate(streamID, delta):
            guard streamID <= 0x7FFF_FFFF else { throw .invalidStreamID(kind: .windowUpdate, streamID: streamID) }
            guard delta >= 1 && delta <= 0x7FFF_FFFF else { throw .invalidWindowDelta(delta) }
            Self.controlHeader(.windowUpdate, flags: 0, length: 8, into: &out)
            SPDYBytes.append32(&out, streamID)
            SPDYBytes.append32(&out, delta)
        }
    }

    /// Appends only the 8-byte header of a DATA frame, so a large payload can be
    /// written straight from its own buffer without copying it into the frame.
    ///
    /// - Throws: ``SPDYProtocolError/invalidStreamID(kind:streamID:)`` for 0 or
    ///   IDs above 2³¹−1, ``SPDYProtocolError/dataFrameTooLarge(streamID:length:limit:)``
    ///   for `length` above 2²⁴−1.
    public static func encodeDataFrameHeader(
        streamID: UInt32, flags: SPDYDataFlags, length: Int, into out: inout [UInt8]
    ) throws(SPDYProtocolError) {
        try checkStream(streamID, .data)
        guard length <= maxLength else {
            throw .dataFrameTooLarge(streamID: streamID, length: length, limit: maxLength)
        }
        SPDYBytes.append32(&out, streamID)
        SPDYBytes.append32(&out, UInt32(flags.rawValue) << 24 | UInt32(length))
    }

    private func encodeHeadersLike(
        _ kind: SPDYFrameKind, streamID: UInt32, flags: SPDYControlFlags, headers: SPDYHeaders,
        into out: inout [UInt8]
    ) throws(SPDYProtocolError) {
        try Self.checkStream(streamID, kind)
        let block = try compressedBlock(headers, streamID: streamID, kind: kind, fixed: 4)
        Self.controlHeader(kind, flags: flags.rawValue, length: 4 + block.count, into: &out)
        SPDYBytes.append32(&out, streamID)
        out.append(contentsOf: block)
    }

    /// Validates, sizes and only then compresses a header block.
    private func compressedBlock(
        _ headers: SPDYHeaders, streamID: UInt32, kind: SPDYFrameKind, fixed: Int
    ) throws(SPDYProtocolError) -> [UInt8] {
        let raw = try headers.encodedBlock(streamID: streamID)
        // Worst case of sync-flushed deflate on incompressible input, checked
        // before compressing so an oversize block never touches the context.
        let worstCase = fixed + raw.count + raw.count / 256 + 64
        guard worstCase <= Self.maxLength else {
            throw .controlFrameTooLarge(kind: kind, length: worstCase, limit: Self.maxLength)
        }
        return compressor.compress(raw)
    }

    private static func checkStream(_ id: UInt32, _ kind: SPDYFrameKind) throws(SPDYProtocolError) {
        guard id != 0 && id <= 0x7FFF_FFFF else { throw .invalidStreamID(kind: kind, streamID: id) }
    }

    /// C bit + version 3, type, flags, 24-bit length.
    private static func controlHeader(_ kind: SPDYFrameKind, flags: UInt8, length: Int, into out: inout [UInt8]) {
        out.append(0x80)
        out.append(0x03)
        out.append(UInt8(kind.rawValue >> 8))
        out.append(UInt8(kind.rawValue & 0xFF))
        SPDYBytes.append32(&out, UInt32(flags) << 24 | UInt32(length))
    }
}
