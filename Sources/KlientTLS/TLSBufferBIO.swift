internal import COpenSSL

/// The ciphertext buffers between a TLSConnection and OpenSSL, exposed to
/// OpenSSL as a custom BIO. Compared with memory BIOs this saves one copy in
/// each direction: fed chunks are read by OpenSSL straight from the arrays
/// they arrived in, and records OpenSSL writes land in the array that
/// `takeCiphertext()` hands out without copying.
///
/// Only touched from inside SSL calls or by the owning connection, which
/// the connection's owner serializes.
final class TLSBufferBIO {
    /// Received ciphertext not yet read by OpenSSL, in arrival order.
    private var inbound: [[UInt8]] = []
    private var inboundHead = 0
    private var offsetInHead = 0
    private(set) var inboundCount = 0
    /// Ciphertext produced by OpenSSL, not yet taken.
    var outbound: [UInt8] = []

    func append(_ chunk: [UInt8]) {
        guard !chunk.isEmpty else { return }
        inbound.append(chunk)
        inboundCount += chunk.count
    }

    func takeOutbound() -> [UInt8] {
        defer { outbound = [] }
        return outbound
    }

    /// Copies up to `max` received bytes into `destination`; returns the count.
    func read(into destination: UnsafeMutableRawPointer, max: Int) -> Int {
        var copied = 0
        while copied < max && inboundHead < inbound.count {
            let n = inbound[inboundHead].withUnsafeBytes { chunk -> Int in
                let n = min(max - copied, chunk.count - offsetInHead)
                (destination + copied).copyMemory(from: chunk.baseAddress! + offsetInHead, byteCount: n)
                return n
            }
            copied += n
            offsetInHead += n
            if offsetInHead == inbound[inboundHead].count {
                inbound[inboundHead] = []
                inboundHead += 1
                offsetInHead = 0
            }
        }
        if inboundHead == inbound.count {
            inbound.removeAll(keepingCapacity: true)
            inboundHead = 0
        }
        inboundCount -= copied
        return copied
    }

    /// A new BIO reading from and writing to `buffers`; SSL_set_bio takes ownership.
    /// The caller keeps `buffers` alive for as long as the BIO exists.
    static func makeBIO(_ buffers: TLSBufferBIO) -> OpaquePointer? {
        guard let method = TLSBufferBIOMethod.shared.pointer, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(buffers).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    fileprivate static func from(_ bio: OpaquePointer?) -> TLSBufferBIO? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<TLSBufferBIO>.fromOpaque(data).takeUnretainedValue()
    }
}

/// The BIO_METHOD, created once per process and never freed.
private struct TLSBufferBIOMethod: @unchecked Sendable {
    let pointer: OpaquePointer?

    static let shared = TLSBufferBIOMethod()

    private init() {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "klient buffers") else {
            pointer = nil
            return
        }
        BIO_meth_set_write(method, bioWrite)
        BIO_meth_set_read(method, bioRead)
        BIO_meth_set_ctrl(method, bioControl)
        BIO_meth_set_create(method, { bio in BIO_set_init(bio, 1); return 1 })
        BIO_meth_set_destroy(method, { _ in 1 })
        pointer = method
    }
}

// BIO_FLAGS_* (function-like macros in bio.h).
private let flagRead: Int32 = 0x01
private let flagsReadWriteSpecial: Int32 = 0x01 | 0x02 | 0x04
private let flagShouldRetry: Int32 = 0x08

private let bioWrite: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
    guard let buffers = TLSBufferBIO.from(bio), let data, length > 0 else { return 0 }
    BIO_clear_flags(bio, flagsReadWriteSpecial | flagShouldRetry)
    buffers.outbound.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(length)))
    return length
}

private let bioRead: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32 = { bio, out, length in
    guard let buffers = TLSBufferBIO.from(bio), let out, length > 0 else { return 0 }
    BIO_clear_flags(bio, flagsReadWriteSpecial | flagShouldRetry)
    let n = buffers.read(into: out, max: Int(length))
    if n == 0 {
        // Nothing buffered yet: "retry later", never end of stream (the owner handles EOF).
        BIO_set_flags(bio, flagRead | flagShouldRetry)
        return -1
    }
    return Int32(n)
}

private let bioControl: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = { bio, command, _, _ in
    switch command {
    case BIO_CTRL_FLUSH:
        return 1 // nothing is held back: records are already in `outbound`
    case BIO_CTRL_PENDING:
        return TLSBufferBIO.from(bio)?.inboundCount ?? 0
    case BIO_CTRL_WPENDING:
        return TLSBufferBIO.from(bio)?.outbound.count ?? 0
    default:
        return 0
    }
}
