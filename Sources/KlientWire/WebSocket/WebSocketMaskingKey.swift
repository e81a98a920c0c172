/// The 4-byte masking key of RFC 6455 §5.3, in wire order.
///
/// Masking XORs payload byte `i` with key byte `i % 4`. ``apply(to:phase:)``
/// and ``applyCopying(from:to:phase:)`` do it 8 bytes at a time with a
/// 64-bit mask, so masking runs at memory speed.
public struct WebSocketMaskingKey: Sendable, Hashable, CustomStringConvertible {
    /// Key bytes in the order they appear on the wire.
    public var bytes: (UInt8, UInt8, UInt8, UInt8)

    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        bytes = (b0, b1, b2, b3)
    }

    /// A key from exactly four bytes; nil for any other count.
    public init?<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard bytes.count == 4 else { return nil }
        var i = bytes.startIndex
        let b0 = bytes[i]; i = bytes.index(after: i)
        let b1 = bytes[i]; i = bytes.index(after: i)
        let b2 = bytes[i]; i = bytes.index(after: i)
        self.init(b0, b1, b2, bytes[i])
    }

    /// A fresh key from the system's cryptographically secure generator
    /// (RFC 6455 §5.3: keys must not be predictable by the application).
    public static func random() -> WebSocketMaskingKey {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A key drawn from `generator`.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> WebSocketMaskingKey {
        let v = UInt32.random(in: .min ... .max, using: &generator)
        return WebSocketMaskingKey(UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8),
                                   UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24))
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.bytes.0 == rhs.bytes.0 && lhs.bytes.1 == rhs.bytes.1
            && lhs.bytes.2 == rhs.bytes.2 && lhs.bytes.3 == rhs.bytes.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0); hasher.combine(bytes.1); hasher.combine(bytes.2); hasher.combine(bytes.3)
    }

    public var description: String {
        let hex = [bytes.0, bytes.1, bytes.2, bytes.3].map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }
        return hex.joined(separator: " ")
    }

    /// The key repeated to 8 bytes, as the native-endian integer whose memory
    /// layout is `k0 k1 k2 k3 k0 k1 k2 k3` rotated to start at `phase`.
    @inlinable
    func mask64(phase: Int) -> UInt64 {
        let k = bytes
        var m: UInt64 = 0
        withUnsafeMutableBytes(of: &m) { raw in
            for i in 0..<8 {
                switch (i + phase) & 3 {
                case 0: raw[i] = k.0
                case 1: raw[i] = k.1
                case 2: raw[i] = k.2
                default: raw[i] = k.3
                }
            }
        }
        return m
    }

    /// XORs `buffer` with the key in place. `phase` is the payload offset of
    /// `buffer[0]` modulo 4, so a payload can be masked in pieces.
    @inlinable
    public func apply(to buffer: UnsafeMutableRawBufferPointer, phase: Int = 0) {
        guard let base = buffer.baseAddress else { return }
        Self.xor(source: UnsafeRawPointer(base), destination: base, count: buffer.count, mask: mask64(phase: phase & 3))
    }

    /// Writes `source` XOR the key to `destination` (which must be at least as
    /// long): the copy and the masking in a single pass.
    @inlinable
    public func applyCopying(from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer, phase: Int = 0) {
        precondition(destination.count >= source.count, "masking destination shorter than source")
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return }
        Self.xor(source: src, destination: dst, count: source.count, mask: mask64(phase: phase & 3))
    }

    /// XORs `payload` with the key in place.
    @inlinable
    public func apply(to payload: inout [UInt8], phase: Int = 0) {
        payload.withUnsafeMutableBytes { apply(to: $0, phase: phase) }
    }

    @inlinable
    static func xor(source: UnsafeRawPointer, destination: UnsafeMutableRawPointer, count: Int, mask: UInt64) {
        var i = 0
        // 32 bytes per iteration keeps four independent 64-bit lanes busy (and
        // lets the optimiser vectorise); then 8 at a time, then the tail.
        while i + 32 <= count {
            let a = source.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ mask
            let b = source.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ mask
            let c = source.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) ^ mask
            let d = source.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self) ^ mask
            destination.storeBytes(of: a, toByteOffset: i, as: UInt64.self)
            destination.storeBytes(of: b, toByteOffset: i + 8, as: UInt64.self)
            destination.storeBytes(of: c, toByteOffset: i + 16, as: UInt64.self)
            destination.storeBytes(of: d, toByteOffset: i + 24, as: UInt64.self)
            i += 32
        }
        while i + 8 <= count {
            let v = source.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ mask
            destination.storeBytes(of: v, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        if i < count {
            // i is a multiple of 8, so the tail starts at mask phase 0 of the 8-byte pattern.
            var m = mask
            withUnsafeBytes(of: &m) { maskBytes in
                var j = 0
                while i < count {
                    let b = source.load(fromByteOffset: i, as: UInt8.self) ^ maskBytes[j]
                    destination.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
                    i += 1
                    j += 1
                }
            }
        }
    }
}
