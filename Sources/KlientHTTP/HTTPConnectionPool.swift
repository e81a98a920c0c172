import Synchronization

/// Idle keep-alive connections, keyed by endpoint (server + TLS context +
/// credentials identity). Connections are handed out most-recently-used
/// first and dropped after `idleTimeout` or beyond `maxIdlePerEndpoint`.
final class HTTPConnectionPool: Sendable {
    private struct Idle {
        let connection: HTTPClientConnection
        let since: ContinuousClock.Instant
    }

    private let idle = Mutex<[HTTPEndpoint: [Idle]]>([:])
    let maxIdlePerEndpoint: Int
    let idleTimeout: Duration

    init(maxIdlePerEndpoint: Int, idleTimeout: Duration) {
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
        self.idleTimeout = idleTimeout
    }

    /// An idle connection to `endpoint`, or nil.
    func take(for endpoint: HTTPEndpoint) -> HTTPClientConnection? {
        let now = ContinuousClock.now
        let (found, expired): (HTTPClientConnection?, [Idle]) = idle.withLock { idle in
            guard var list = idle[endpoint] else { return (nil, []) }
            let expired = list.filter { now - $0.since > idleTimeout }
            list.removeAll { now - $0.since > idleTimeout }
            let found = list.popLast()?.connection
            idle[endpoint] = list.isEmpty ? nil : list
            return (found, expired)
        }
        for e in expired { e.connection.close() }
        return found
    }

    /// Returns a connection whose last response completed and allows reuse.
    func put(_ connection: HTTPClientConnection) {
        let evicted: HTTPClientConnection? = idle.withLock { idle in
            var list = idle[connection.endpoint, default: []]
            list.append(Idle(connection: connection, since: .now))
            let evicted = list.count > maxIdlePerEndpoint ? list.removeFirst().connection : nil
            idle[connection.endpoint] = list
            return evicted
        }
        evicted?.close()
    }

    var idleCount: Int { idle.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// Closes every idle connection.
    func closeAll() {
        let all = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for e in all { e.connection.close() }
    }
}
