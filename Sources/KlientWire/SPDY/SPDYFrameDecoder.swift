/// Incremental SPDY/3 frame decoder (SPDY draft 3, §2.2 and §2.6): append
/// bytes as they arrive, then call ``next()`` until it returns nil.
///
/// **One decoder per connection direction.** It holds that direction's
/// ``SPDYHeaderBlockDecompressor``, and header blocks can only be inflated in
/// the order the peer compressed them. The decoder is a struct for its framing
/// state, but copies share the decompression context: keep one copy, and
/// start a fresh decoder for a new connection (or a new test run).
///
/// Rules enforced:
/// - control frames must carry version 3 (§2.2.1); anything else is a
///   session error;
/// - unknown control frame types are skipped without buffering them
///   (§2.2.1: "ignore"); NOOP (type 5, SPDY/2) decodes as ``SPDYFrame/noop``;
/// - fixed-size frames must have their exact length (RST_STREAM, GOAWAY and
///   WINDOW_UPDATE 8, PING 4), SETTINGS 4 + 8 × count, SYN_STREAM at least
///   10 and SYN_REPLY/HEADERS at least 4;
/// - stream ID 0 is rejected in DATA, SYN_STREAM, SYN_REPLY, RST_STREAM and
///   HEADERS (§2.3.2), RST_STREAM status 0 is rejected;
/// - limits from ``Limits``: frame payload length, inflated header block size
///   (decompression bombs) and header pair count;
/// - header blocks follow §2.6.10 (see ``SPDYHeaders/init(decodingBlock:streamID:maxPairs:)``).
///
/// Errors: see ``SPDYProtocolError``. After a stream error the decoder can go
/// on (an oversize DATA frame is skipped); after a session error every call
/// throws that error again. The reserved high bit of stream IDs is ignored.
/// Tolerated without complaint: unknown flag bits, PING ID 0, WINDOW_UPDATE
/// delta 0, unknown RST_STREAM and GOAWAY status codes, a header block of zero
/// bytes (read as no headers).
public struct SPDYFrameDecoder {
    /// Bounds on what the peer may make us buffer or allocate.
    public struct Limits: Hashable, Sendable {
        /// Largest payload (the 24-bit length field) of any frame, DATA or
        /// control. spdystream writes one DATA frame per `Write` call, which
        /// in kubectl and the kubelet is an `io.Copy` buffer of 32 KiB.
        public var maxFrameLength: Int
        /// Largest inflated size of one header block.
        public var maxHeaderBlockSize: Int
        /// Largest number of name/value pairs in one header block.
        public var maxHeaderPairs: Int

        public init(maxFrameLength: Int = 1 << 20, maxHeaderBlockSize: Int = 256 << 10, maxHeaderPairs: Int = 1024) {
            self.maxFrameLength = maxFrameLength
            self.maxHeaderBlockSize = maxHeaderBlockSize
            self.maxHeaderPairs = maxHeaderPairs
        }
    }

    public let limits: Limits
    private var buffer = ByteBuffer()
    private var skipRemaining = 0
    private var failure: SPDYProtocolError?
    private let decompressor: SPDYHeaderBlockDecompressor

    /// A decoder with a fresh decompression context.
    public init(limits: Limits = Limits()) {
        self.limits = limits
        decompressor = SPDYHeaderBlockDecompressor()
    }

    /// Bytes received but not yet decoded.
    public var bufferedBytes: Int { buffer.readableBytes }

    /// Appends received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(bytes)
    }

    /// Appends received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(bytes)
    }

    /// The next complete frame, or nil if more bytes are needed.
    ///
    /// - Throws: ``SPDYProtocolError``; check
    ///   ``SPDYProtocolError/isStreamError`` to decide between RST_STREAM
    ///   (call `next()` again afterwards) and GOAWAY + close.
    public mutating func next() throws(SPDYProtocolError) -> SPDYFrame? {
        if let failure { throw failure }
        while true {
            if skipRemaining > 0 {
                let n = min(skipRemaining, buffer.readableBytes)
                buffer.skip(n)
                skipRemaining -= n
                if skipRemaining > 0 { return nil }
            }
            guard let word0 = buffer.peekBigEndian(at: 0, width: 4),
                  let word1 = buffer.peekBigEndian(at: 4, width: 4)
            else { return nil }
            let flags = UInt8(word1 >> 24)
            let length = Int(word1 & 0xFF_FFFF)

            if word0 & 0x8000_0000 == 0 {
                let streamID = UInt32(word0 & 0x7FFF_FFFF)
                guard streamID != 0 else { throw fail(.invalidStreamID(kind: .data, streamID: 0)) }
                guard length <= limits.maxFrameLength else {
                    buffer.skip(8)
                    skipRemaining = length
                    throw .dataFrameTooLarge(streamID: streamID, length: length, limit: limits.maxFrameLength)
                }
                guard buffer.readableBytes >= 8 + length else { return nil }
                buffer.skip(8)
                let payload = length == 0 ? [] : buffer.read(length)!
                return .data(streamID: streamID, flags: SPDYDataFlags(rawValue: flags), payload: payload)
            }

            let version = UInt16((word0 >> 16) & 0x7FFF)
            guard version == 3 else { throw fail(.unsupportedVersion(version)) }
            guard let kind = SPDYFrameKind(rawValue: UInt16(word0 & 0xFFFF)), kind != .data else {
                buffer.skip(8)
                skipRemaining = length
                continue
            }
            guard length <= limits.maxFrameLength else {
                throw fail(.controlFrameTooLarge(kind: kind, length: length, limit: limits.maxFrameLength))
            }
            guard Self.lengthIsPlausible(kind, length) else {
                throw fail(.invalidFrameLength(kind: kind, length: length))
            }
            guard buffer.readableBytes >= 8 + length else { return nil }
            buffer.skip(8)
            let payload = length == 0 ? [] : buffer.read(length)!
            return try control(kind, flags: flags, payload: payload)
        }
    }

    /// Length checks that need only the frame header, so a bad frame fails
    /// before it is buffered.
    private static func lengthIsPlausible(_ kind: SPDYFrameKind, _ length: Int) -> Bool {
        switch kind {
        case .synStream: length >= 10
        case .synReply, .headers: length >= 4
        case .rstStream, .goAway, .windowUpdate: length == 8
        case .ping: length == 4
        case .settings: length >= 4 && (length - 4) % 8 == 0
        case .noop, .data: true
        }
    }

    private mutating func control(
        _ kind: SPDYFrameKind, flags: UInt8, payload p: [UInt8]
    ) throws(SPDYProtocolError) -> SPDYFrame {
        let controlFlags = SPDYControlFlags(rawValue: flags)
        switch kind {
        case .synStream:
            let streamID = SPDYBytes.read32(p, at: 0) & 0x7FFF_FFFF
            let associatedID = SPDYBytes.read32(p, at: 4) & 0x7FFF_FFFF
            let headers = try headerBlock(p, from: 10, kind: kind, streamID: streamID)
            return .synStream(streamID: streamID, associatedStreamID: associatedID, priority: p[8] >> 5,
                              slot: p[9], flags: controlFlags, headers: headers)
        case .synReply:
            let streamID = SPDYBytes.read32(p, at: 0) & 0x7FFF_FFFF
            let headers = try headerBlock(p, from: 4, kind: kind, streamID: streamID)
            return .synReply(streamID: streamID, flags: controlFlags, headers: headers)
        case .headers:
            let streamID = SPDYBytes.read32(p, at: 0) & 0x7FFF_FFFF
            let headers = try headerBlock(p, from: 4, kind: kind, streamID: streamID)
            return .headers(streamID: streamID, flags: controlFlags, headers: headers)
        case .rstStream:
            let streamID = SPDYBytes.read32(p, at: 0) & 0x7FFF_FFFF
            let status = SPDYBytes.read32(p, at: 4)
            guard streamID != 0 else { throw fail(.invalidStreamID(kind: kind, streamID: 0)) }
            guard status != 0 else { throw fail(.invalidRstStatus(streamID: streamID)) }
            return .rstStream(streamID: streamID, status: SPDYRstStatus(rawValue: status))
        case .settings:
            let count = SPDYBytes.read32(p, at: 0)
            guard UInt64(count) * 8 + 4 == UInt64(p.count) else {
                throw fail(.invalidFrameLength(kind: kind, length: p.count))
            }
            var entries: [SPDYSettingsEntry] = []
            entries.reserveCapacity(Int(count))
            var i = 4
            while i < p.count {
                let flagsAndID = SPDYBytes.read32(p, at: i)
                entries.append(SPDYSettingsEntry(flags: .init(rawValue: UInt8(flagsAndID >> 24)),
                                                 id: flagsAndID & 0xFF_FFFF,
                                                 value: SPDYBytes.read32(p, at: i + 4)))
                i += 8
            }
            return .settings(flags: SPDYSettingsFlags(rawValue: flags), entries: entries)
        case .noop:
            return .noop
        case .ping:
            return .ping(id: SPDYBytes.read32(p, at: 0))
        case .goAway:
            return .goAway(lastGoodStreamID: SPDYBytes.read32(p, at: 0) & 0x7FFF_FFFF,
                           status: SPDYGoAwayStatus(rawValue: SPDYBytes.read32(p, at: 4)))
        case .windowUpdate:
            return .windowUpdate(streamID: SPDYBytes.read32(p, at: 0) & 0x7FFF_FFFF,
                                 delta: SPDYBytes.read32(p, at: 4) & 0x7FFF_FFFF)
        case .data:
            preconditionFailure("DATA is not a control frame")
        }
    }

    /// Inflates (always, to keep the shared context in step) and then parses a
    /// header block.
    private mutating func headerBlock(
        _ payload: [UInt8], from offset: Int, kind: SPDYFrameKind, streamID: UInt32
    ) throws(SPDYProtocolError) -> SPDYHeaders {
        let block: [UInt8]
        do {
            block = try decompressor.decompress(Array(payload[offset...]), limit: limits.maxHeaderBlockSize,
                                                streamID: streamID)
        } catch {
            throw fail(error)
        }
        guard streamID != 0 else { throw fail(.invalidStreamID(kind: kind, streamID: 0)) }
        if block.isEmpty && payload.count == offset { return SPDYHeaders() }
        return try SPDYHeaders(decodingBlock: block, streamID: streamID, maxPairs: limits.maxHeaderPairs)
    }

    private mutating func fail(_ error: SPDYProtocolError) -> SPDYProtocolError {
        failure = error
        return error
    }
}
