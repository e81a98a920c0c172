#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// The log of one container instance (one run of its process): a file of
/// records `<RFC3339Nano> <F|P> <bytes>\n`, `F` for a full line (it ended in a
/// newline), `P` for a partial one (output that ended without a newline, or a
/// line longer than ``maxRecordLength`` split in pieces), as the CRI log
/// format does.
///
/// Writes are whole records under a lock, so readers always see complete
/// records up to ``committedSize``. Regular-file writes do not wait on the
/// network, so the short write(2) calls here are acceptable on the pool.
final class ContainerLogFile: Sendable {
    /// Longest record; longer lines are split into partial records.
    static let maxRecordLength = 16 * 1024

    let path: String

    private struct State {
        var fd: Int32
        var size = 0
        var finished = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>

    /// Creates (truncates) the file. If it cannot be created the container
    /// still runs; its output is then only seen by attached clients.
    init(path: String) {
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND | O_CLOEXEC, 0o644)
        self.path = path
        state = Mutex(State(fd: fd))
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { _ = Glibc.close(state.fd) }
        }
    }

    /// Appends records for `bytes` produced at `time`: every complete line
    /// becomes an `F` record; the rest is returned to be held until more
    /// output (or ``flush(_:time:)`` at the end) completes it.
    func appendLines(_ pending: inout [UInt8], time: LogTimestamp) {
        var out: [UInt8] = []
        let stamp = Array(time.rfc3339Nano.utf8)
        var start = 0
        while let newline = pending[start...].firstIndex(of: 0x0A) {
            Self.record(&out, stamp, full: true, pending[start..<newline])
            start = newline + 1
        }
        while pending.count - start >= Self.maxRecordLength {
            Self.record(&out, stamp, full: false, pending[start..<(start + Self.maxRecordLength)])
            start += Self.maxRecordLength
        }
        if start > 0 { pending.removeFirst(start) }
        write(out)
    }

    /// Writes what is left of a line as a partial record.
    func flush(_ pending: inout [UInt8], time: LogTimestamp) {
        guard !pending.isEmpty else { return }
        var out: [UInt8] = []
        Self.record(&out, Array(time.rfc3339Nano.utf8), full: false, pending[...])
        pending.removeAll()
        write(out)
    }

    private static func record(_ out: inout [UInt8], _ stamp: [UInt8], full: Bool, _ content: ArraySlice<UInt8>) {
        out.append(contentsOf: stamp)
        out.append(contentsOf: full ? [0x20, 0x46, 0x20] : [0x20, 0x50, 0x20])
        out.append(contentsOf: content)
        out.append(0x0A)
    }

    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard state.fd >= 0 else { return [] }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(state.fd, $0.baseAddress! + offset, $0.count - offset) }
                if n > 0 { offset += n; continue }
                if n < 0, errno == EINTR { continue }
                break // disk full or similar: the log loses this output, the container keeps running
            }
            state.size += offset
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Marks the instance ended: followers stop after the last record.
    func finish() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            if state.fd >= 0 { _ = Glibc.close(state.fd) }
            state.fd = -1
            state.finished = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Bytes of complete records written so far, and whether the instance ended.
    var progress: (size: Int, finished: Bool) { state.withLock { ($0.size, $0.finished) } }

    /// The committed bytes in `from..<to` (fewer if the file was removed).
    func read(from: Int, to: Int) -> [UInt8] {
        guard to > from else { return [] }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { _ = Glibc.close(fd) }
        let count = to - from
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(from + done))
                if n > 0 { done += n; continue }
                if n < 0, errno == EINTR { continue }
                break
            }
            initialized = done
        }
    }

    /// Every record written so far.
    func readAll() -> [UInt8] { read(from: 0, to: progress.size) }

    /// Returns once more than `offset` bytes are committed, the instance
    /// ended, or the task is cancelled.
    func waitForGrowth(beyond offset: Int) async {
        let id: Int = state.withLock { $0.nextWaiter += 1; return $0.nextWaiter }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready: Bool = state.withLock { state in
                    if state.size > offset || state.finished || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Deletes the file (after ``finish()``).
    func remove() {
        finish()
        _ = unlink(path)
    }
}

