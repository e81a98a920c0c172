internal import COpenSSL

/// Helpers for OpenSSL memory BIOs.
enum MemoryBIO {
    /// Reads everything pending in `bio`.
    static func readAll(_ bio: OpaquePointer) -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(bio))
        guard pending > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: pending) { buffer, count in
            let n = BIO_read(bio, buffer.baseAddress, Int32(pending))
            count = max(0, Int(n))
        }
    }

    /// A read-only BIO over `bytes`, valid while `body` runs.
    static func withReadOnly<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                throw OpenSSLErrorQueue.error(.invalidConfiguration, "out of memory creating a BIO")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }
}
