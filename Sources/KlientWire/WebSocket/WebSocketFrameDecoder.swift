/// Incremental WebSocket frame parser (RFC 6455 §5.2): append bytes as they
/// arrive, then call ``next()`` until it returns nil.
///
/// A value-type state machine with no I/O. It enforces, as soon as the
/// relevant header bytes are present (before any payload is buffered):
/// - RSV1–3 must be 0: this codec negotiates no extensions (§5.2);
/// - only the six defined opcodes (§5.2);
/// - control frames are ≤ 125 bytes and have FIN set (§5.5);
/// - a server requires masked frames, a client rejects masked ones (§5.1);
/// - the 64-bit length has its most significant bit clear (§5.2);
/// - no frame is longer than ``maxFrameSize``.
///
/// Non-minimal length encodings (e.g. a 16-bit length below 126) are always
/// **accepted**: §5.2 obliges senders to use the minimal form but names no
/// receiver action, and common peers (Go, NIO) accept them too.
///
/// After an error the decoder stays failed: every later ``next()`` throws the
/// same error, and the connection must be failed with ``WebSocketProtocolError/closeCode``.
public struct WebSocketFrameDecoder: Sendable {
    /// Default frame limit, the same as the default message limit (64 MiB).
    public static let defaultMaxFrameSize = 64 << 20

    public let role: WebSocketRole
    /// Frames whose declared payload exceeds this many bytes fail with
    /// ``WebSocketProtocolError/frameTooLarge(length:limit:)`` (close code 1009).
    public var maxFrameSize: Int

    /// Bytes of an incomplete header or small frame.
    var buffer = ByteBuffer()
    /// The first error; reported once the frames decoded before it are taken.
    var failure: WebSocketProtocolError?
    /// Frames decoded straight from appended bytes, not yet returned.
    var ready: [WebSocketFrame] = []
    var readyHead = 0
    /// A large frame whose header is parsed and whose payload is still
    /// arriving: new bytes go straight into its payload (unmasked on the way)
    /// instead of through `buffer`, so each payload byte is copied once.
    var partial: PartialFrame?

    struct PartialFrame: Sendable {
        var fin: Bool
        var opcode: WebSocketOpcode
        var key: WebSocketMaskingKey?
        var payload: [UInt8]
        var remaining: Int

        /// Moves up to `remaining` bytes of `bytes` into the payload; returns how many.
        mutating func take(_ bytes: UnsafeRawBufferPointer) -> Int {
            let n = min(remaining, bytes.count)
            guard n > 0 else { return 0 }
            let start = payload.count
            payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<n]))
            if let key {
                // Unmask in place: a bulk copy then one pass (fast in debug builds too).
                payload.withUnsafeMutableBytes { out in
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: out[start...]), phase: start)
                }
            }
            remaining -= n
            return n
        }

        var frame: WebSocketFrame { WebSocketFrame(fin: fin, opcode: opcode, maskingKey: key, payload: payload) }
    }

    /// A parsed frame header.
    struct Header {
        var fin: Bool
        var opcode: WebSocketOpcode
        var key: WebSocketMaskingKey?
        var headerLength: Int
        var payloadLength: Int
    }

    /// Payloads at least this long that are not complete when their header
    /// arrives are collected in place (see `partial`). Tests lower it.
    var streamingThreshold = 4096

    public init(role: WebSocketRole, maxFrameSize: Int = WebSocketFrameDecoder.defaultMaxFrameSize) {
        precondition(maxFrameSize >= 125, "maxFrameSize must allow control frames")
        self.role = role
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int {
        buffer.readableBytes + (partial?.payload.count ?? 0)
            + ready[readyHead...].reduce(0) { $0 + $1.payload.count }
    }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { append($0) }
        }
    }

    /// Appends received bytes. While nothing is buffered, complete frames are
    /// decoded straight from `bytes` (one copy per payload byte); only an
    /// incomplete header or small frame is buffered.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        if partial != nil {
            rest = UnsafeRawBufferPointer(rebasing: rest[partial!.take(rest)...])
            if partial!.remaining == 0 {
                ready.append(partial!.frame)
                partial = nil
            }
        }
        while !rest.isEmpty, buffer.isEmpty, partial == nil, failure == nil {
            let header: Header
            do {
                guard let parsed = try Self.parseHeader(rest, role: role, maxFrameSize: maxFrameSize) else { break }
                header = parsed
            } catch {
                failure = error // reported after the frames decoded before it
                return
            }
            let total = header.headerLength + header.payloadLength
            if rest.count >= total {
                ready.append(Self.frame(header, payload: UnsafeRawBufferPointer(rebasing: rest[header.headerLength..<total])))
                rest = UnsafeRawBufferPointer(rebasing: rest[total...])
            } else if header.payloadLength >= streamingThreshold {
                startPartial(header, with: UnsafeRawBufferPointer(rebasing: rest[header.headerLength...]))
                rest = UnsafeRawBufferPointer(start: nil, count: 0)
            } else {
                break
            }
        }
        if !rest.isEmpty && failure == nil { buffer.append(rest) }
    }

    /// The next complete frame (payload unmasked), or nil if more bytes are needed.
    ///
    /// - Throws: ``WebSocketProtocolError`` for any rule listed on the type; the
    ///   decoder then stays failed.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketFrame? {
        if readyHead < ready.count {
            let frame = ready[readyHead]
            readyHead += 1
            if readyHead == ready.count {
                ready.removeAll(keepingCapacity: true)
                readyHead = 0
            }
            return frame
        }
        if let failure { throw failure }
        do {
            return try parseBuffered()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func startPartial(_ header: Header, with bytes: UnsafeRawBufferPointer) {
        var frame = PartialFrame(fin: header.fin, opcode: header.opcode, key: header.key, payload: [],
                                 remaining: header.payloadLength)
        frame.payload.reserveCapacity(header.payloadLength)
        _ = frame.take(bytes)
        partial = frame
    }

    /// Decodes from `buffer` (bytes that arrived split across appends).
    private mutating func parseBuffered() throws(WebSocketProtocolError) -> WebSocketFrame? {
        if let frame = partial {
            guard frame.remaining == 0 else { return nil }
            partial = nil
            return frame.frame
        }
        let (role, maxFrameSize) = (self.role, self.maxFrameSize)
        let parsed = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(WebSocketProtocolError) in try Self.parseHeader(bytes, role: role, maxFrameSize: maxFrameSize) }
        }
        guard let header = try parsed.get() else { return nil }
        let total = header.headerLength + header.payloadLength
        guard buffer.readableBytes >= total else {
            guard header.payloadLength >= streamingThreshold else { return nil }
            // Collect the rest of this payload in place as it arrives.
            buffer.skip(header.headerLength)
            let rest = buffer.readAll()
            rest.withUnsafeBytes { startPartial(header, with: $0) }
            return nil
        }
        let frame = buffer.withUnsafeReadableBytes { bytes in
            Self.frame(header, payload: UnsafeRawBufferPointer(rebasing: bytes[header.headerLength..<total]))
        }
        buffer.skip(total)
        return frame
    }

    /// A frame whose payload is copied (and unmasked) out of `payload`.
    private static func frame(_ header: Header, payload: UnsafeRawBufferPointer) -> WebSocketFrame {
        let bytes: [UInt8]
        if let key = header.key {
            bytes = [UInt8](unsafeUninitializedCapacity: payload.count) { out, count in
                key.applyCopying(from: payload, to: UnsafeMutableRawBufferPointer(out))
                count = payload.count
            }
        } else {
            bytes = Array(payload)
        }
        return WebSocketFrame(fin: header.fin, opcode: header.opcode, maskingKey: header.key, payload: bytes)
    }

    /// Parses the frame header at the start of `bytes`; nil if it is not
    /// complete yet. Every rule that the header alone decides is checked here,
    /// before any payload is buffered.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, role: WebSocketRole, maxFrameSize: Int)
        throws(WebSocketProtocolError) -> Header? {
        guard bytes.count >= 2 else { return nil }
        let b0 = bytes[0], b1 = bytes[1]
        let rsv = b0 & 0x70
        guard rsv == 0 else { throw .reservedBitsSet(rsv) }
        guard let opcode = WebSocketOpcode(rawValue: b0 & 0x0F) else { throw .unknownOpcode(b0 & 0x0F) }
        let fin = b0 & 0x80 != 0
        let masked = b1 & 0x80 != 0
        switch role {
        case .server where !masked: throw .unmaskedFrameFromClient
        case .client where masked: throw .maskedFrameFromServer
        default: break
        }
        if opcode.isControl && !fin { throw .fragmentedControlFrame(opcode) }

        func bigEndian(at offset: Int, width: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<width { value = value << 8 | UInt64(bytes[offset + i]) }
            return value
        }
        var headerLength = 2
        let length: UInt64
        switch b1 & 0x7F {
        case 126:
            guard bytes.count >= 4 else { return nil }
            length = bigEndian(at: 2, width: 2)
            headerLength += 2
        case 127:
            guard bytes.count >= 10 else { return nil }
            length = bigEndian(at: 2, width: 8)
            guard length & (1 << 63) == 0 else { throw .invalidPayloadLength(length) }
            headerLength += 8
        case let short:
            length = UInt64(short)
        }
        if opcode.isControl && length > 125 { throw .controlFrameTooLong(opcode: opcode, length: length) }
        guard length <= UInt64(maxFrameSize) else { throw .frameTooLarge(length: length, limit: maxFrameSize) }

        var key: WebSocketMaskingKey?
        if masked {
            guard bytes.count >= headerLength + 4 else { return nil }
            key = WebSocketMaskingKey(bytes[headerLength], bytes[headerLength + 1], bytes[headerLength + 2], bytes[headerLength + 3])
            headerLength += 4
        }
        return Header(fin: fin, opcode: opcode, key: key, headerLength: headerLength, payloadLength: Int(length))
    }
}
