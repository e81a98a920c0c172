import KlientIO
import Synchronization

/// Two connected in-memory `ByteStream`s for tests: what one writes, the
/// other reads. Writes never wait (unbounded buffering, no backpressure);
/// `shutdownWrite()` gives the peer end of stream after the buffered bytes;
/// `close()` also fails this side's pending and later reads.
enum MemoryStreamPair {
    static func make() -> (MemoryStream, MemoryStream) {
        let aToB = MemoryPipe()
        let bToA = MemoryPipe()
        return (MemoryStream(inbound: bToA, outbound: aToB), MemoryStream(inbound: aToB, outbound: bToA))
    }
}

struct MemoryStreamError: Error, CustomStringConvertible {
    let description: String
}

final class MemoryStream: ByteStream {
    let inbound: MemoryPipe
    let outbound: MemoryPipe

    init(inbound: MemoryPipe, outbound: MemoryPipe) {
        self.inbound = inbound
        self.outbound = outbound
    }

    func read(maxBytes: Int) async throws -> [UInt8] {
        try await inbound.read(maxBytes: maxBytes)
    }

    func write(_ bytes: [UInt8]) async throws {
        try outbound.write(bytes)
    }

    func shutdownWrite() async throws {
        outbound.finish()
    }

    func close() {
        inbound.closeReader()
        outbound.finish()
    }
}

/// One direction: a queue of written chunks, read front to back.
final class MemoryPipe: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var offsetInHead = 0
        var finished = false
        var readerClosed = false
        var waiter: (max: Int, continuation: CheckedContinuation<[UInt8], any Error>)?

        var isEmpty: Bool { head == chunks.count }

        /// Up to `max` bytes from the front chunk; the whole chunk without copying when it fits.
        mutating func take(_ max: Int) -> [UInt8] {
            let chunk = chunks[head]
            let available = chunk.count - offsetInHead
            let bytes: [UInt8]
            if offsetInHead == 0 && available <= max {
                bytes = chunk
                advanceHead()
            } else {
                let n = min(max, available)
                bytes = Array(chunk[offsetInHead..<(offsetInHead + n)])
                offsetInHead += n
                if offsetInHead == chunk.count { advanceHead() }
            }
            return bytes
        }

        private mutating func advanceHead() {
            chunks[head] = []
            head += 1
            offsetInHead = 0
            if head > 64 && head * 2 > chunks.count {
                chunks.removeFirst(head)
                head = 0
            }
        }
    }

    private let state = Mutex(State())

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let resume = try state.withLock { state -> (CheckedContinuation<[UInt8], any Error>, [UInt8])? in
            if state.finished { throw MemoryStreamError(description: "write after shutdownWrite/close") }
            if state.readerClosed { return nil } // peer closed: drop, like a reset socket
            state.chunks.append(bytes)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter.continuation, state.take(waiter.max))
        }
        if let (continuation, bytes) = resume { continuation.resume(returning: bytes) }
    }

    func read(maxBytes: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            enum Outcome { case bytes([UInt8]), failed(any Error), wait }
            let outcome = state.withLock { state -> Outcome in
                if state.readerClosed { return .failed(MemoryStreamError(description: "read on a closed stream")) }
                if !state.isEmpty { return .bytes(state.take(maxBytes)) }
                if state.finished { return .bytes([]) }
                precondition(state.waiter == nil, "two concurrent readers")
                state.waiter = (maxBytes, continuation)
                return .wait
            }
            switch outcome {
            case .bytes(let bytes): continuation.resume(returning: bytes)
            case .failed(let error): continuation.resume(throwing: error)
            case .wait: break
            }
        }
    }

    /// Bytes written and not yet read.
    var bufferedCount: Int {
        state.withLock { state in
            guard !state.isEmpty else { return 0 }
            return state.chunks[state.head...].reduce(0) { $0 + $1.count } - state.offsetInHead
        }
    }

    /// End of stream for the reader once the buffered bytes are read.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8], any Error>? in
            state.finished = true
            guard state.isEmpty, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: [])
    }

    /// The reading side was closed: pending and later reads fail.
    func closeReader() {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8], any Error>? in
            state.readerClosed = true
            state.chunks = []
            state.head = 0
            state.offsetInHead = 0
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(throwing: MemoryStreamError(description: "stream closed"))
    }
}
