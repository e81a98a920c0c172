/// A growable byte queue for incremental decoders: bytes are appended at the
/// end and consumed from the front. Consumed space is reclaimed lazily, so a
/// long-lived decoder does not grow with the bytes that passed through it.
///
/// Value type; decoders own one each. Not a general-purpose buffer: it offers
/// exactly what the codecs in this module need.
public struct ByteBuffer: Sendable, Equatable {
    @usableFromInline var storage: [UInt8]
    @usableFromInline var readerIndex: Int

    public init() {
        storage = []
        readerIndex = 0
    }

    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        storage = Array(bytes)
        readerIndex = 0
    }

    public static func == (lhs: ByteBuffer, rhs: ByteBuffer) -> Bool {
        lhs.readableView.elementsEqual(rhs.readableView)
    }

    /// Number of bytes not yet consumed.
    @inlinable public var readableBytes: Int { storage.count - readerIndex }

    @inlinable public var isEmpty: Bool { readableBytes == 0 }

    /// The unconsumed bytes, without copying.
    @inlinable public var readableView: ArraySlice<UInt8> { storage[readerIndex...] }

    /// Appends bytes at the end.
    @inlinable
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    /// Appends bytes from raw memory.
    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        storage.append(contentsOf: bytes)
    }

    @inlinable public mutating func append(_ byte: UInt8) {
        storage.append(byte)
    }

    /// The byte `offset` bytes past the reader position, or nil if not yet received.
    @inlinable
    public func peek(at offset: Int) -> UInt8? {
        let i = readerIndex + offset
        return i < storage.count ? storage[i] : nil
    }

    /// A big-endian unsigned integer of `width` bytes at `offset`, or nil if not yet received.
    @inlinable
    public func peekBigEndian(at offset: Int, width: Int) -> UInt64? {
        guard readableBytes >= offset + width else { return nil }
        var value: UInt64 = 0
        for i in 0..<width { value = value << 8 | UInt64(storage[readerIndex + offset + i]) }
        return value
    }

    /// Consumes and returns exactly `count` bytes, or nil (consuming nothing) if fewer are readable.
    @inlinable
    public mutating func read(_ count: Int) -> [UInt8]? {
        guard count <= readableBytes else { return nil }
        let out = Array(storage[readerIndex..<readerIndex + count])
        readerIndex += count
        return out
    }

    /// Consumes and returns every readable byte.
    @inlinable
    public mutating func readAll() -> [UInt8] {
        if readerIndex == 0 {
            defer { storage = [] }
            return storage
        }
        let out = Array(storage[readerIndex...])
        storage.removeAll(keepingCapacity: true)
        readerIndex = 0
        return out
    }

    /// Discards `count` bytes (must be ≤ readableBytes).
    @inlinable
    public mutating func skip(_ count: Int) {
        precondition(count <= readableBytes, "skip past the end of a ByteBuffer")
        readerIndex += count
        if readerIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readerIndex = 0
        }
    }

    /// Index (relative to the reader position) of the first occurrence of `byte`
    /// at or after `from`, or nil.
    @inlinable
    public func firstIndex(of byte: UInt8, from: Int = 0) -> Int? {
        var i = readerIndex + from
        while i < storage.count {
            if storage[i] == byte { return i - readerIndex }
            i += 1
        }
        return nil
    }

    /// Calls `body` with the readable bytes as raw memory.
    @inlinable
    public func withUnsafeReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[readerIndex...]))
        }
    }

    @inlinable
    mutating func compactIfWorthwhile() {
        // Reclaim consumed bytes once they outweigh the live ones (amortised O(1)).
        if readerIndex > 4096 && readerIndex * 2 > storage.count {
            storage.removeSubrange(0..<readerIndex)
            readerIndex = 0
        }
    }
}
