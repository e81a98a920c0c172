import KlientIO
import Synchronization

/// Wraps a ByteStream so writes wait until `open()` is called: lets a test
/// hold a TLS flusher inside the underlying write. Each write that starts
/// waiting is announced on `writeStarted`.
final class GatedStream: ByteStream {
    private let inner: any ByteStream
    private let gate = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    let writeStarted: AsyncStream<Void>
    private let announce: AsyncStream<Void>.Continuation

    init(_ inner: any ByteStream) {
        self.inner = inner
        (writeStarted, announce) = AsyncStream.makeStream()
    }

    func open() {
        let waiters = gate.withLock { gate in
            gate.open = true
            defer { gate.waiters = [] }
            return gate.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Makes later writes wait again.
    func shut() {
        gate.withLock { $0.open = false }
    }

    func read(maxBytes: Int) async throws -> [UInt8] { try await inner.read(maxBytes: maxBytes) }

    func write(_ bytes: [UInt8]) async throws {
        await withCheckedContinuation { continuation in
            let isOpen = gate.withLock { gate in
                if !gate.open { gate.waiters.append(continuation) }
                return gate.open
            }
            if isOpen { continuation.resume() } else { announce.yield() }
        }
        try await inner.write(bytes)
    }

    func shutdownWrite() async throws { try await inner.shutdownWrite() }
    func close() { inner.close() }
}
