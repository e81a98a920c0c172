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

    var buffer = ByteBuffer()
    var failure: WebSocketProtocolError?
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
            let source = UnsafeRawBufferPointer(rebasing: bytes[..<n])
            payload.append(contentsOf: source)
            if let key {
                // Unmask in place: a bulk copy then one pass (fast in debug builds too).
                payload.withUnsafeMutableBytes { out in
                    key.apply(to: UnsafeMutableRawBufferPointer(rebasing: out[start...]), phase: start)
                }
            }
            remaining -= n
            return n
        }
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
    public var bufferedByteCount: Int { buffer.readableBytes + (partial?.payload.count ?? 0) }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if partial == nil {
            buffer.append(bytes)
        } else if bytes.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { append($0) }
        }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var consumed = 0
        if partial != nil { consumed = partial!.take(bytes) }
        if consumed < bytes.count { buffer.append(UnsafeRawBufferPointer(rebasing: bytes[consumed...])) }
    }

    /// The next complete frame (payload unmasked), or nil if more bytes are needed.
    ///
    /// - Throws: ``WebSocketProtocolError`` for any rule listed on the type; the
    ///   decoder then stays failed.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketFrame? {
        if let failure { throw failure }
        do {
            return try parse()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func parse() throws(WebSocketProtocolError) -> WebSocketFrame? {
        if let frame = partial {
            // While a payload is collected in place, `buffer` only holds what follows it.
            guard frame.remaining == 0 else { return nil }
            partial = nil
            return WebSocketFrame(fin: frame.fin, opcode: frame.opcode, maskingKey: frame.key, payload: frame.payload)
        }
        guard let b0 = buffer.peek(at: 0), let b1 = buffer.peek(at: 1) else { return nil }
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

        let length7 = b1 & 0x7F
        var headerLength = 2
        let length: UInt64
        switch length7 {
        case 126:
            guard let l = buffer.peekBigEndian(at: 2, width: 2) else { return nil }
            length = l
            headerLength += 2
        case 127:
            guard let l = buffer.peekBigEndian(at: 2, width: 8) else { return nil }
            guard l & (1 << 63) == 0 else { throw .invalidPayloadLength(l) }
            length = l
            headerLength += 8
        default:
            length = UInt64(length7)
        }
        if opcode.isControl && length > 125 { throw .controlFrameTooLong(opcode: opcode, length: length) }
        guard length <= UInt64(maxFrameSize) else { throw .frameTooLarge(length: length, limit: maxFrameSize) }

        let keyOffset = headerLength
        if masked { headerLength += 4 }
        let payloadLength = Int(length)
        guard buffer.readableBytes >= headerLength else { return nil }
        var key: WebSocketMaskingKey?
        if masked {
            key = WebSocketMaskingKey(buffer.peek(at: keyOffset)!, buffer.peek(at: keyOffset + 1)!,
                                      buffer.peek(at: keyOffset + 2)!, buffer.peek(at: keyOffset + 3)!)
        }
        guard buffer.readableBytes >= headerLength + payloadLength else {
            guard payloadLength >= streamingThreshold else { return nil }
            // Collect the rest of this payload in place as it arrives.
            buffer.skip(headerLength)
            var frame = PartialFrame(fin: fin, opcode: opcode, key: key, payload: [], remaining: payloadLength)
            frame.payload.reserveCapacity(payloadLength)
            let rest = buffer.readAll()
            _ = rest.withUnsafeBytes { frame.take($0) }
            partial = frame
            return nil
        }
        let payload: [UInt8]
        if let key {
            // Unmask while copying out of the buffer: one pass over the payload.
            payload = buffer.withUnsafeReadableBytes { readable in
                [UInt8](unsafeUninitializedCapacity: payloadLength) { out, count in
                    key.applyCopying(from: UnsafeRawBufferPointer(rebasing: readable[headerLength..<headerLength + payloadLength]),
                                     to: UnsafeMutableRawBufferPointer(out))
                    count = payloadLength
                }
            }
            buffer.skip(headerLength + payloadLength)
        } else {
            buffer.skip(headerLength)
            payload = buffer.read(payloadLength)!
        }
        return WebSocketFrame(fin: fin, opcode: opcode, maskingKey: key, payload: payload)
    }
}
