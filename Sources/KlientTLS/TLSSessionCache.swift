internal import COpenSSL
import Synchronization

/// Client-side cache of resumable TLS sessions, keyed by peer
/// ("host:port" plus the verified name), so a repeat connection to the same
/// API server resumes (TLS 1.3 tickets and TLS 1.2 sessions alike).
///
/// The newest session for a peer replaces older ones. Bounded: when full, an
/// arbitrary entry is dropped, which only costs one full handshake.
final class TLSSessionCache: Sendable {
    /// Owns one reference to an SSL_SESSION.
    final class Session: @unchecked Sendable {
        // SSL_SESSION is reference counted and immutable once cached; OpenSSL
        // locks its refcount, so sharing the pointer across threads is safe.
        let pointer: OpaquePointer
        init(taking pointer: OpaquePointer) { self.pointer = pointer }
        deinit { SSL_SESSION_free(pointer) }
    }

    static let capacity = 256
    private let entries = Mutex<[String: Session]>([:])

    func session(for key: String) -> Session? {
        entries.withLock { $0[key] }
    }

    func store(_ session: Session, for key: String) {
        let evicted: Session? = entries.withLock { entries in
            var evicted: Session?
            if entries[key] == nil, entries.count >= Self.capacity, let victim = entries.keys.first {
                evicted = entries.removeValue(forKey: victim)
            }
            entries[key] = session
            return evicted
        }
        _ = evicted // released outside the lock
    }

    func remove(for key: String) {
        let removed = entries.withLock { $0.removeValue(forKey: key) }
        _ = removed
    }

    var count: Int { entries.withLock { $0.count } }
}
