#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import KlientIO
import Synchronization

/// One run of a container's process: pumps its stdout/stderr into the
/// instance's log and to attached subscribers, and is what `attach` reaches
/// (``ContainerAttachment``).
final class ContainerInstance: ContainerAttachment {
    let process: HostProcess
    let log: ContainerLogFile
    let isTTY: Bool
    let startedAt: LogTimestamp

    private struct Subscribers {
        var next = 0
        var open: [Int: AsyncStream<(channel: UInt8, bytes: [UInt8])>.Continuation] = [:]
        var finished = false
    }

    private let subscribers = Mutex(Subscribers())

    init(process: HostProcess, log: ContainerLogFile, isTTY: Bool, startedAt: LogTimestamp) {
        self.process = process
        self.log = log
        self.isTTY = isTTY
        self.startedAt = startedAt
    }

    // MARK: ContainerAttachment

    func subscribeOutput() -> AsyncStream<(channel: UInt8, bytes: [UInt8])> {
        let (stream, continuation) = AsyncStream<(channel: UInt8, bytes: [UInt8])>.makeStream()
        let id: Int? = subscribers.withLock { state in
            guard !state.finished else { return nil }
            state.next += 1
            state.open[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.open.removeValue(forKey: id) }
        }
        return stream
    }

    func writeStdin(_ bytes: [UInt8]) async throws {
        try await process.stdin.write(bytes)
    }

    func closeStdin() {
        if isTTY {
            let process = self.process
            Task { await process.closeStdin() }
        } else {
            process.stdin.close()
        }
    }

    func resize(width: UInt16, height: UInt16) {
        try? process.resize(width: width, height: height)
    }

    // MARK: running

    /// Pumps output until the process exits and its output is drained, then
    /// finishes the log and every subscriber; returns the exit status.
    func run() async -> HostProcess.ExitStatus {
        let status = await withTaskGroup(of: HostProcess.ExitStatus?.self) { group in
            group.addTask { await self.pump(self.process.stdout, channel: 1); return nil }
            if let stderr = process.stderr {
                group.addTask { await self.pump(stderr, channel: 2); return nil }
            }
            group.addTask {
                let status = await self.process.waitForExit()
                // The container ends with its main process: the rest of its group goes too.
                self.process.signal(SIGKILL)
                // A descendant that left the group may still hold the pipes: stop reading soon.
                try? await Task.sleep(for: .seconds(2))
                self.process.stdout.close()
                self.process.stderr?.close()
                return status
            }
            var status: HostProcess.ExitStatus?
            var pumpsLeft = process.stderr == nil ? 1 : 2
            while let result = await group.next() {
                if let result {
                    status = result
                } else {
                    pumpsLeft -= 1
                }
                if pumpsLeft == 0, status == nil {
                    // Output is done; wait for the exit without the 2 s drain timer.
                    let exit = await process.waitForExit()
                    group.cancelAll()
                    return exit
                }
                if pumpsLeft == 0 { group.cancelAll() }
            }
            return status ?? .exited(255)
        }
        process.stdin.close()
        log.finish()
        let open = subscribers.withLock { state in
            state.finished = true
            defer { state.open.removeAll() }
            return Array(state.open.values)
        }
        for continuation in open { continuation.finish() }
        return status
    }

    private func pump(_ stream: FileDescriptorStream, channel: UInt8) async {
        var pending: [UInt8] = []
        while true {
            let bytes: [UInt8]
            do { bytes = try await stream.read(maxBytes: 64 * 1024) } catch { break }
            if bytes.isEmpty { break }
            pending.append(contentsOf: bytes)
            log.appendLines(&pending, time: .now())
            let open = subscribers.withLock { Array($0.open.values) }
            for continuation in open { continuation.yield((channel, bytes)) }
        }
        log.flush(&pending, time: .now())
    }
}
