import Foundation
import KlientIO
import Synchronization

/// `klient-bench pf-load throughput|latency|concurrent --port P [options]`:
/// load through a local port-forward (kubectl's or klientd's) to an echo
/// server (`klient-bench echo-server`). scripts/bench-forward.sh runs it.
///
/// - `throughput [--megabytes 1024] [--chunk 65536] [--stall 20]`: one
///   connection; N MiB written while the echo is read back and checked byte
///   for byte. A run where nothing is echoed for `--stall` seconds fails as stalled.
/// - `latency [--count 1000] [--out FILE]`: COUNT sequential connections,
///   each connect, write 1 byte, read the echoed byte, close; the time from
///   connect to the echo, in microseconds, one line each in FILE. After 10
///   failures in a row the rest are counted as failed without trying.
/// - `concurrent [--connections 1000] [--size 1024]`: N connections started
///   at once, each echoes SIZE bytes and checks them; all stay open until
///   every one has finished.
///
/// Common: `--host 127.0.0.1`, `--timeout SECONDS` (per connection, or the
/// whole throughput run), `--json FILE` (the result as JSON). Failures are
/// counted and reported, never fatal to the run; the exit status is 1 when any
/// connection failed.
func portForwardLoad(_ arguments: [String]) async throws -> Bool {
    let options = try LoadOptions(arguments)
    try ProcessStats.raiseFileDescriptorLimit()
    let address = try SocketAddress(host: options.host, port: options.port)
    var result: [String: Any]
    switch options.mode {
    case "throughput": result = await loadThroughput(options, address)
    case "latency": result = await loadLatency(options, address)
    default: result = await loadConcurrent(options, address)
    }
    result["mode"] = options.mode
    result["port"] = Int(options.port)
    if let path = options.jsonPath {
        let data = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
    return (result["errors"] as? Int ?? 0) == 0
}

struct LoadOptions {
    var mode = ""
    var host = "127.0.0.1"
    var port: UInt16 = 0
    var megabytes = 1024
    var chunk = 64 * 1024
    var count = 1000
    var connections = 1000
    var size = 1024
    var timeout: Double?
    var stall = 20.0
    var outPath: String?
    var jsonPath: String?

    static let usage = """
        usage: klient-bench pf-load throughput --port P [--megabytes 1024] [--chunk BYTES] [--stall SECONDS]
               klient-bench pf-load latency --port P [--count 1000] [--out FILE]
               klient-bench pf-load concurrent --port P [--connections 1000] [--size 1024]
               common: [--host 127.0.0.1] [--timeout SECONDS] [--json FILE]
        """

    init(_ arguments: [String]) throws {
        var it = arguments.makeIterator()
        func positive(_ flag: String) throws -> Int {
            guard let n = it.next().flatMap(Int.init), n > 0 else { throw BenchError("\(flag) needs a positive integer") }
            return n
        }
        func text(_ flag: String) throws -> String {
            guard let value = it.next(), !value.isEmpty else { throw BenchError("\(flag) needs a value") }
            return value
        }
        while let arg = it.next() {
            switch arg {
            case "throughput", "latency", "concurrent":
                guard mode.isEmpty else { throw BenchError("pf-load takes one of throughput, latency, concurrent") }
                mode = arg
            case "--host": host = try text(arg)
            case "--port":
                guard let p = it.next().flatMap(UInt16.init), p > 0 else { throw BenchError("--port needs a port number") }
                port = p
            case "--megabytes": megabytes = try positive(arg)
            case "--chunk": chunk = try positive(arg)
            case "--count": count = try positive(arg)
            case "--connections": connections = try positive(arg)
            case "--size": size = try positive(arg)
            case "--timeout":
                guard let t = it.next().flatMap(Double.init), t > 0 else { throw BenchError("--timeout needs seconds > 0") }
                timeout = t
            case "--stall":
                guard let t = it.next().flatMap(Double.init), t > 0 else { throw BenchError("--stall needs seconds > 0") }
                stall = t
            case "--out": outPath = try text(arg)
            case "--json": jsonPath = try text(arg)
            case "-h", "--help":
                print(LoadOptions.usage)
                exit(0)
            default: throw BenchError("pf-load: unexpected argument \(arg)\n\(LoadOptions.usage)")
            }
        }
        guard !mode.isEmpty else { throw BenchError("pf-load needs throughput, latency or concurrent\n\(LoadOptions.usage)") }
        guard port != 0 else { throw BenchError("pf-load needs --port P") }
    }

    /// The time allowed: `--timeout`, else `fallback` seconds.
    func limit(_ fallback: Double) -> Duration { .milliseconds(Int64((timeout ?? fallback) * 1000)) }
}

/// Errors counted, with the first few distinct messages (and how often each came) kept for the report.
struct ErrorTally {
    private(set) var count = 0
    private var messages: [(text: String, count: Int)] = []

    mutating func add(_ error: any Error) {
        count += 1
        let text = String(describing: error)
        if let index = messages.firstIndex(where: { $0.text == text }) {
            messages[index].count += 1
        } else if messages.count < 5 {
            messages.append((text, 1))
        }
    }

    /// `3× connect to ... failed: ...`, the first five distinct messages.
    var first: [String] { messages.map { "\($0.count)× \($0.text)" } }

    func report() -> String {
        let listed = messages.reduce(0) { $0 + $1.count }
        return "errors: \(count)" + first.map { "\n    \($0)" }.joined()
            + (count > listed ? "\n    (\(count - listed) more with other messages)" : "")
    }
}

// MARK: throughput

/// A fixed pseudo-random byte pattern with a prime period, so a lost,
/// repeated or reordered chunk shows up as a mismatch. Immutable after init.
final class BytePattern: @unchecked Sendable {
    static let period = 65_521
    let bytes: UnsafeMutableRawBufferPointer
    let span: Int

    /// `span`: the longest run that ``slice(at:count:)`` is asked for.
    init(span: Int) {
        self.span = span
        bytes = .allocate(byteCount: BytePattern.period + span, alignment: 16)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<bytes.count {
            if i >= BytePattern.period {
                bytes[i] = bytes[i - BytePattern.period]
                continue
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    deinit { bytes.deallocate() }

    /// The pattern bytes at stream offset `offset`, `count` ≤ span of them.
    func slice(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        precondition(count <= span)
        let start = offset % BytePattern.period
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
    }
}

func loadThroughput(_ options: LoadOptions, _ address: SocketAddress) async -> [String: Any] {
    let total = options.megabytes * 1_048_576
    let readSize = 256 * 1024
    let pattern = BytePattern(span: max(options.chunk, readSize))
    var errors = ErrorTally()
    var result: [String: Any] = ["bytes": total]
    print("throughput through \(address): \(options.megabytes) MiB written in \(options.chunk)-byte writes while the echo is read and checked")
    do {
        let (write, read) = try await withTimeout(options.limit(600), "the throughput run") {
            let socket = try await Socket.connect(to: address, deadline: .now + .seconds(15))
            defer { socket.close() }
            let start = ContinuousClock.now
            let progress = ThroughputProgress()
            let writer = Task {
                var sent = 0
                while sent < total {
                    let n = min(options.chunk, total - sent)
                    try await socket.write(pattern.slice(at: sent, count: n))
                    sent += n
                    progress.state.withLock { $0.sent = sent }
                }
                return ContinuousClock.now - start
            }
            // A forward that stops moving bytes fails the run instead of hanging it.
            let watchdog = Task {
                var last = -1
                var since = ContinuousClock.now
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    let (sent, received) = progress.state.withLock { ($0.sent, $0.received) }
                    if received != last {
                        last = received
                        since = .now
                    } else if (ContinuousClock.now - since).seconds >= options.stall {
                        progress.state.withLock {
                            $0.stalled = "stalled: nothing echoed for \(Int(options.stall)) s after \(received) of \(total) bytes "
                                + "(\(sent) written)"
                        }
                        socket.close()
                        return
                    }
                }
            }
            defer { watchdog.cancel() }
            do {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
                defer { buffer.deallocate() }
                var received = 0
                while received < total {
                    let n = try await socket.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(readSize, total - received)]))
                    if n == 0 { throw BenchError("the connection ended after \(received) of \(total) bytes") }
                    let expected = pattern.slice(at: received, count: n)
                    if memcmp(buffer.baseAddress!, expected.baseAddress!, n) != 0 {
                        let at = (0..<n).first { buffer[$0] != expected[$0] }!
                        throw BenchError("echoed byte \(received + at) differs from the byte sent")
                    }
                    received += n
                    progress.state.withLock { $0.received = received }
                }
                let read = ContinuousClock.now - start
                return (try await writer.value, read)
            } catch {
                writer.cancel()
                socket.close()
                _ = try? await writer.value
                if let stalled = progress.state.withLock({ $0.stalled }) { throw BenchError(stalled) }
                throw error
            }
        }
        let up = Double(total) / write.seconds / 1e6
        let down = Double(total) / read.seconds / 1e6
        print(String(format: "  written (client → pod) %.1f MB/s in %.2f s; echoed back (pod → client) %.1f MB/s in %.2f s; all bytes verified",
                     up, write.seconds, down, read.seconds))
        result["writeMBps"] = up
        result["readMBps"] = down
        result["writeSeconds"] = write.seconds
        result["readSeconds"] = read.seconds
    } catch {
        errors.add(error)
        print("  failed: \(error)")
    }
    result["errors"] = errors.count
    result["errorMessages"] = errors.first
    return result
}

/// Bytes written and echoed so far, shared with the stall watchdog.
private final class ThroughputProgress: Sendable {
    struct State {
        var sent = 0
        var received = 0
        var stalled: String?
    }
    let state = Mutex(State())
}

// MARK: latency

func loadLatency(_ options: LoadOptions, _ address: SocketAddress) async -> [String: Any] {
    var errors = ErrorTally()
    var micros: [Double] = []
    micros.reserveCapacity(options.count)
    let limit = options.limit(5)
    let wall = ContinuousClock.now
    var consecutiveFailures = 0
    for attempt in 0..<options.count {
        // A forward that has stopped answering would take COUNT × the timeout; count the rest as failed.
        if consecutiveFailures == 10 {
            let left = options.count - attempt
            for _ in 0..<left {
                errors.add(BenchError("not attempted: gave up after 10 consecutive failures"))
            }
            break
        }
        let start = ContinuousClock.now
        do {
            try await withTimeout(limit, "connect, write 1 byte and read its echo") {
                let socket = try await Socket.connect(to: address)
                defer { socket.close() }
                try await socket.write([0x2A])
                let byte = try await socket.read(maxBytes: 1)
                guard byte == [0x2A] else {
                    throw BenchError(byte.isEmpty ? "the connection ended before the echo" : "echoed \(byte) instead of [42]")
                }
            }
            micros.append((ContinuousClock.now - start).seconds * 1e6)
            consecutiveFailures = 0
        } catch {
            errors.add(error)
            consecutiveFailures += 1
        }
    }
    let elapsed = (ContinuousClock.now - wall).seconds
    var result: [String: Any] = ["count": options.count, "errors": errors.count, "errorMessages": errors.first,
                                 "wallSeconds": elapsed]
    print("latency through \(address): \(options.count) sequential connections (connect, write 1 byte, read the echo, close)")
    if let path = options.outPath {
        let text = micros.map { String(format: "%.1f", $0) }.joined(separator: "\n") + (micros.isEmpty ? "" : "\n")
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            print("  cannot write \(path): \(error)")
        }
    }
    if !micros.isEmpty {
        let sorted = micros.sorted()
        let p50 = percentile(sorted, 0.50), p90 = percentile(sorted, 0.90), p99 = percentile(sorted, 0.99)
        print(String(format: "  p50 %.0f µs, p90 %.0f µs, p99 %.0f µs, max %.0f µs (%d ok in %.2f s)",
                     p50, p90, p99, sorted.last!, sorted.count, elapsed))
        result["p50us"] = p50
        result["p90us"] = p90
        result["p99us"] = p99
        result["maxUs"] = sorted.last!
        result["meanUs"] = sorted.reduce(0, +) / Double(sorted.count)
    }
    print("  " + errors.report())
    return result
}

/// Nearest-rank percentile of ascending `sorted` (not empty).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

// MARK: concurrent

private enum ConnectionOutcome: Sendable {
    case echoed(Socket, Duration)
    case failed(String, Socket?)
}

func loadConcurrent(_ options: LoadOptions, _ address: SocketAddress) async -> [String: Any] {
    let limit = options.limit(60)
    let size = options.size
    print("concurrent through \(address): \(options.connections) connections at once, \(size) bytes echoed and checked on each")
    let start = ContinuousClock.now
    // Each task returns its socket still open: every connection stays open until all are done.
    let outcomes = await withTaskGroup(of: ConnectionOutcome.self) { group in
        for index in 0..<options.connections {
            group.addTask {
                let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7 &+ 1) }
                let box = SocketBox()
                do {
                    try await withTimeout(limit, "connect, write \(size) bytes and read their echo") {
                        let socket = try await Socket.connect(to: address)
                        box.socket = socket
                        try await socket.write(payload)
                        var echoed: [UInt8] = []
                        while echoed.count < size {
                            let bytes = try await socket.read(maxBytes: size - echoed.count)
                            if bytes.isEmpty { throw BenchError("the connection ended after \(echoed.count) of \(size) echoed bytes") }
                            echoed += bytes
                        }
                        guard echoed == payload else { throw BenchError("the echoed bytes differ from the bytes sent") }
                    }
                    return .echoed(box.socket!, ContinuousClock.now - start)
                } catch {
                    return .failed(String(describing: error), box.socket)
                }
            }
        }
        var outcomes: [ConnectionOutcome] = []
        for await outcome in group { outcomes.append(outcome) }
        return outcomes
    }
    let wall = ContinuousClock.now - start
    var errors = ErrorTally()
    var done: [Double] = []
    for outcome in outcomes {
        switch outcome {
        case .echoed(let socket, let time):
            done.append(time.seconds)
            socket.close()
        case .failed(let message, let socket):
            errors.add(BenchError(message))
            socket?.close()
        }
    }
    print(String(format: "  %d verified, wall time %.2f s", done.count, wall.seconds))
    print("  " + errors.report())
    var result: [String: Any] = ["connections": options.connections, "verified": done.count, "errors": errors.count,
                                 "errorMessages": errors.first, "wallSeconds": wall.seconds]
    if !done.isEmpty {
        let sorted = done.sorted()
        result["p50DoneSeconds"] = percentile(sorted, 0.5)
        result["lastDoneSeconds"] = sorted.last!
    }
    return result
}

/// Hands a connection out of a `withTimeout` body so it can stay open (or be
/// closed) after the body returns. Written once, then read by the same task.
private final class SocketBox: @unchecked Sendable {
    var socket: Socket?
}
