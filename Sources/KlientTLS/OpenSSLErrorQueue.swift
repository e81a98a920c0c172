internal import COpenSSL

/// The calling thread's OpenSSL error queue. It is thread-local, so it is
/// cleared before every SSL call and read right after it, with no `await` in
/// between (callers hold the connection lock across both).
enum OpenSSLErrorQueue {
    struct Entry {
        let code: UInt
        let text: String
        /// The reason part of the packed error code (ERR_GET_REASON).
        var reason: Int32 {
            // System errors carry errno in the low bits, not an SSL reason.
            if code & (UInt(Int32.max) + 1) != 0 /* ERR_SYSTEM_FLAG */ { return 0 }
            return Int32(code & UInt(ERR_REASON_MASK))
        }
    }

    static func clear() { ERR_clear_error() }

    /// Removes and returns every queued error, oldest first.
    static func drain() -> [Entry] {
        var entries: [Entry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            entries.append(Entry(code: code, text: text))
        }
        return entries
    }

    /// A TLSError of `kind` with the queue drained into it.
    static func error(_ kind: TLSError.Kind, _ message: String) -> TLSError {
        TLSError(kind, message, openSSLErrors: drain().map(\.text))
    }
}
