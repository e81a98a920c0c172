/// Serialises WebSocket frames (RFC 6455 §5.2).
///
/// A `.client` encoder masks every frame (§5.3) with the frame's
/// `maskingKey` if set, else a fresh key from the system CSPRNG per frame. A
/// `.server` encoder never masks and ignores `maskingKey` (§5.1). Payload
/// lengths use the minimal encoding: 7-bit up to 125, 16-bit (126) up to
/// 65535, 64-bit (127) beyond.
///
/// The encoder does not police the frame (control frame length, RSV bits):
/// callers build frames; the decoder polices peers.
public struct WebSocketFrameEncoder: Sendable {
    public var role: WebSocketRole

    public init(role: WebSocketRole) {
        self.role = role
    }

    /// Largest header: 2 bytes + 8-byte length + 4-byte key.
    public static let maxHeaderLength = 14

    /// Header size for a payload of `payloadLength` bytes.
    @inlinable
    public static func headerLength(payloadLength: Int, masked: Bool) -> Int {
        let lengthBytes = payloadLength <= 125 ? 0 : (payloadLength <= 0xFFFF ? 2 : 8)
        return 2 + lengthBytes + (masked ? 4 : 0)
    }

    /// The key this encoder masks with for `requested` (nil for a server).
    @inlinable
    func effectiveKey(_ requested: WebSocketMaskingKey?) -> WebSocketMaskingKey? {
        switch role {
        case .server: nil
        case .client: requested ?? WebSocketMaskingKey.random()
        }
    }

    /// Header plus (masked) payload in one freshly allocated array: one
    /// allocation and a single copy-and-mask pass over the payload.
    public func encode(_ frame: WebSocketFrame) -> [UInt8] {
        let key = effectiveKey(frame.maskingKey)
        return frame.payload.withUnsafeBytes { payload in
            Self.encoded(fin: frame.fin, rsv: Self.rsvBits(frame), opcode: frame.opcode, payload: payload, key: key)
        }
    }

    /// Appends header plus (masked) payload to `buffer`, growing it at most
    /// once. Use to batch several frames into one write.
    public func encode(_ frame: WebSocketFrame, into buffer: inout [UInt8]) {
        frame.payload.withUnsafeBytes { payload in
            encode(fin: frame.fin, rsv: Self.rsvBits(frame), opcode: frame.opcode, payload: payload,
                   maskingKey: frame.maskingKey, into: &buffer)
        }
    }

    /// A frame straight from raw memory, without building a ``WebSocketFrame``:
    /// returns header plus (masked) payload in one allocation.
    public func encode(
        fin: Bool = true, opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer,
        maskingKey: WebSocketMaskingKey? = nil
    ) -> [UInt8] {
        Self.encoded(fin: fin, rsv: 0, opcode: opcode, payload: payload, key: effectiveKey(maskingKey))
    }

    /// Appends a frame from raw memory to `buffer` (one capacity reservation).
    public func encode(
        fin: Bool = true, rsv: UInt8 = 0, opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer,
        maskingKey: WebSocketMaskingKey? = nil, into buffer: inout [UInt8]
    ) {
        let key = effectiveKey(maskingKey)
        let headerCount = Self.headerLength(payloadLength: payload.count, masked: key != nil)
        let start = buffer.count
        buffer.reserveCapacity(start + headerCount + payload.count)
        withUnsafeTemporaryAllocation(byteCount: Self.maxHeaderLength, alignment: 1) { header in
            let n = Self.writeHeader(fin: fin, rsv: rsv, opcode: opcode, payloadLength: payload.count,
                                     key: key, to: header.baseAddress!)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: header[..<n]))
        }
        let payloadStart = buffer.count
        buffer.append(contentsOf: payload)
        if let key {
            buffer.withUnsafeMutableBytes { all in
                key.apply(to: UnsafeMutableRawBufferPointer(rebasing: all[payloadStart...]))
            }
        }
    }

    /// Only the header, for callers that write the payload separately
    /// (a server sending a large unmasked payload with vectored I/O). For a
    /// masked frame, the caller must mask the payload with the same `key`.
    public func encodeHeader(
        fin: Bool = true, opcode: WebSocketOpcode, payloadLength: Int, maskingKey: WebSocketMaskingKey? = nil
    ) -> (header: [UInt8], maskingKey: WebSocketMaskingKey?) {
        let key = effectiveKey(maskingKey)
        let header = [UInt8](unsafeUninitializedCapacity: Self.maxHeaderLength) { buf, count in
            count = Self.writeHeader(fin: fin, rsv: 0, opcode: opcode, payloadLength: payloadLength,
                                     key: key, to: UnsafeMutableRawPointer(buf.baseAddress!))
        }
        return (header, key)
    }

    @inlinable
    static func rsvBits(_ frame: WebSocketFrame) -> UInt8 {
        (frame.rsv1 ? 0x40 : 0) | (frame.rsv2 ? 0x20 : 0) | (frame.rsv3 ? 0x10 : 0)
    }

    static func encoded(
        fin: Bool, rsv: UInt8, opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, key: WebSocketMaskingKey?
    ) -> [UInt8] {
        let headerCount = headerLength(payloadLength: payload.count, masked: key != nil)
        let total = headerCount + payload.count
        return [UInt8](unsafeUninitializedCapacity: total) { buf, count in
            let base = UnsafeMutableRawPointer(buf.baseAddress!)
            let n = writeHeader(fin: fin, rsv: rsv, opcode: opcode, payloadLength: payload.count, key: key, to: base)
            let body = UnsafeMutableRawBufferPointer(start: base + n, count: payload.count)
            if let key {
                key.applyCopying(from: payload, to: body)
            } else if !payload.isEmpty {
                body.copyMemory(from: payload)
            }
            count = total
        }
    }

    /// Writes the header to `out` (room for ``maxHeaderLength`` bytes) and returns its size.
    @discardableResult
    static func writeHeader(
        fin: Bool, rsv: UInt8, opcode: WebSocketOpcode, payloadLength: Int, key: WebSocketMaskingKey?,
        to out: UnsafeMutableRawPointer
    ) -> Int {
        precondition(payloadLength >= 0, "negative WebSocket payload length")
        out.storeBytes(of: (fin ? 0x80 : 0) | (rsv & 0x70) | opcode.rawValue, as: UInt8.self)
        let maskBit: UInt8 = key == nil ? 0 : 0x80
        var n: Int
        if payloadLength <= 125 {
            out.storeBytes(of: maskBit | UInt8(payloadLength), toByteOffset: 1, as: UInt8.self)
            n = 2
        } else if payloadLength <= 0xFFFF {
            out.storeBytes(of: maskBit | 126, toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: UInt16(payloadLength).bigEndian, toByteOffset: 2, as: UInt16.self)
            n = 4
        } else {
            out.storeBytes(of: maskBit | 127, toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: UInt64(payloadLength).bigEndian, toByteOffset: 2, as: UInt64.self)
            n = 10
        }
        if let key {
            out.storeBytes(of: key.bytes.0, toByteOffset: n, as: UInt8.self)
            out.storeBytes(of: key.bytes.1, toByteOffset: n + 1, as: UInt8.self)
            out.storeBytes(of: key.bytes.2, toByteOffset: n + 2, as: UInt8.self)
            out.storeBytes(of: key.bytes.3, toByteOffset: n + 3, as: UInt8.self)
            n += 4
        }
        return n
    }
}
