import KlientIO
import Synchronization

/// A connection to the pod opened ahead of need.
///
/// Its first read starts at once: a connection that dies while it waits in
/// the pool is noticed (and replaced) instead of being handed to a client,
/// and bytes a server sends first (a banner) are kept for whoever takes it.
/// Only that one read runs before the connection is taken, so buffering
/// stays at one chunk.
final class ReadyConnection: Sendable {
    let stream: any ByteStream
    /// The pod target generation it was opened for.
    let generation: Int
    let openedAt = ContinuousClock.now

    private enum State {
        case waiting
        case taken
        /// The first read finished (bytes, end of stream or error) before anyone took it.
        case readIdle(Result<[UInt8], any Error>)
        case dead
    }

    private struct Box {
        var state: State = .waiting
        var firstRead: Result<[UInt8], any Error>?
        var waiter: CheckedContinuation<Result<[UInt8], any Error>, Never>?
    }

    private let box = Mutex(Box())
    static let chunkSize = 128 * 1024

    /// - Parameter onDeath: called (once) when the connection ends while idle.
    init(stream: any ByteStream, generation: Int, onDeath: @escaping @Sendable (ReadyConnection) -> Void) {
        self.stream = stream
        self.generation = generation
        Task { [self] in
            let result: Result<[UInt8], any Error>
            do { result = .success(try await stream.read(maxBytes: Self.chunkSize)) } catch { result = .failure(error) }
            let (waiter, died) = box.withLock { box -> (CheckedContinuation<Result<[UInt8], any Error>, Never>?, Bool) in
                box.firstRead = result
                switch box.state {
                case .waiting:
                    if case .success(let bytes) = result, !bytes.isEmpty {
                        box.state = .readIdle(result)
                        return (nil, false)
                    }
                    box.state = .dead
                    return (nil, true)
                case .taken:
                    defer { box.waiter = nil }
                    return (box.waiter, false)
                case .readIdle, .dead:
                    return (nil, false)
                }
            }
            if died {
                stream.close()
                onDeath(self)
            }
            waiter?.resume(returning: result)
        }
    }

    /// Claims the connection for a client; false if it died meanwhile.
    func take() -> Bool {
        box.withLock { box in
            switch box.state {
            case .waiting, .readIdle:
                box.state = .taken
                return true
            case .taken, .dead:
                return false
            }
        }
    }

    /// Discards an idle connection (pod changed, forward stopping).
    func discard() {
        if take() { stream.close() }
    }

    /// The result of the first read, waiting for it if needed. Call once, after ``take()``.
    func firstRead() async -> Result<[UInt8], any Error> {
        await withCheckedContinuation { continuation in
            let ready = box.withLock { box -> Result<[UInt8], any Error>? in
                if let result = box.firstRead { return result }
                box.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
