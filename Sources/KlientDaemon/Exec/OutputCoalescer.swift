import Synchronization

/// Between an exec output stream and the client's descriptor: chunks as
/// they arrive (≤ 32 KiB each from a kubelet) are gathered, and the writer
/// takes everything gathered so far in one write. Bulk output then costs a
/// few large writes instead of one per WebSocket message, for klientd and
/// for whoever reads the pipe.
///
/// Bounded: ``append(_:)`` waits while ``limit`` bytes are pending, so a
/// slow reader still holds up the stream (and, through it, the pod).
final class OutputCoalescer: Sendable {
    private struct State {
        var pending: [UInt8] = []
        /// An empty buffer with capacity, handed back by the writer for reuse.
        var spare: [UInt8] = []
        var ended = false
        var failed = false
        var writer: CheckedContinuation<Void, Never>?
        var producer: CheckedContinuation<Void, Never>?
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds `chunk`; waits while `limit` bytes are pending. False once the
    /// writer has failed (nothing more will be written: stop reading).
    func append(_ chunk: [UInt8]) async -> Bool {
        let (writer, full, failed) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool, Bool) in
            if state.failed { return (nil, false, true) }
            state.pending.append(contentsOf: chunk)
            defer { state.writer = nil }
            return (state.writer, state.pending.count >= limit, false)
        }
        writer?.resume()
        if failed { return false }
        if full {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let room = state.withLock { state -> Bool in
                    if state.failed || state.pending.count < limit { return true }
                    state.producer = continuation
                    return false
                }
                if room { continuation.resume() }
            }
        }
        return !state.withLock { $0.failed }
    }

    /// No more chunks: the writer drains what is pending, then gets nil.
    func end() {
        let writer = state.withLock { state in
            state.ended = true
            defer { state.writer = nil }
            return state.writer
        }
        writer?.resume()
    }

    /// The writer gave up (the descriptor failed): producers stop.
    func fail() {
        let producer = state.withLock { state in
            state.failed = true
            state.pending = []
            defer { state.producer = nil }
            return state.producer
        }
        producer?.resume()
    }

    /// Everything pending, waiting for some; nil once ended and drained.
    /// - Parameter spent: the previous batch, whose storage is reused.
    func nextBatch(recycling spent: consuming [UInt8]) async -> [UInt8]? {
        var spare = spent
        spare.removeAll(keepingCapacity: true)
        while true {
            let (batch, producer, done) = state.withLock { state -> ([UInt8]?, CheckedContinuation<Void, Never>?, Bool) in
                if spare.capacity > state.spare.capacity { swap(&spare, &state.spare) }
                guard !state.pending.isEmpty else { return (nil, nil, state.ended || state.failed) }
                var batch = state.spare
                swap(&batch, &state.pending)
                state.spare = []
                defer { state.producer = nil }
                return (batch, state.producer, false)
            }
            producer?.resume()
            if let batch { return batch }
            if done { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if !state.pending.isEmpty || state.ended || state.failed { return true }
                    state.writer = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }
}
