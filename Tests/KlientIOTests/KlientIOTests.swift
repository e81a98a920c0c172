#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import Testing
@testable import KlientIO

/// Every KlientIO test runs serially: the thread-count and descriptor-leak
/// checks measure the whole process.
@Suite(.serialized) struct KlientIOTests {}

/// An integer shared between tasks.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
    func load() -> Int { value.load(ordering: .sequentiallyConsistent) }
    func store(_ newValue: Int) { value.store(newValue, ordering: .sequentiallyConsistent) }
    func increment() { value.add(1, ordering: .sequentiallyConsistent) }
}

/// Collects integers from several tasks.
final class Recorder: Sendable {
    private let storage = Mutex<[Int]>([])
    func append(_ value: Int) { storage.withLock { $0.append(value) } }
    var values: [Int] { storage.withLock { $0 } }
}

/// Reads until `count` bytes arrived; fails on early end of stream.
func readExactly(_ stream: some ByteStream, _ count: Int) async throws -> [UInt8] {
    var result: [UInt8] = []
    while result.count < count {
        let chunk = try await stream.read(maxBytes: count - result.count)
        try #require(!chunk.isEmpty, "end of stream after \(result.count) of \(count) bytes")
        result += chunk
    }
    return result
}

/// Reads until end of stream.
func readToEnd(_ stream: some ByteStream) async throws -> [UInt8] {
    var result: [UInt8] = []
    while true {
        let chunk = try await stream.read(maxBytes: 4096)
        if chunk.isEmpty { return result }
        result += chunk
    }
}

/// Accepts connections until the listener closes and echoes each one back
/// until its peer half-closes; returns once every connection has finished.
func startEchoServer(_ listener: Listener) -> Task<Void, Never> {
    Task {
        await withDiscardingTaskGroup { group in
            while let connection = try? await listener.accept() {
                group.addTask {
                    defer { connection.close() }
                    while let bytes = try? await connection.read(maxBytes: 65536), !bytes.isEmpty {
                        guard (try? await connection.write(bytes)) != nil else { return }
                    }
                }
            }
        }
    }
}

/// A fresh path for a Unix socket in the temporary directory.
func temporarySocketPath(_ name: String) -> String {
    "/tmp/klient-io-test-\(getpid())-\(name).sock"
}

func ipv6LoopbackAvailable() -> Bool {
    guard let address = try? SocketAddress(parsing: "[::1]:0"),
          let listener = try? Listener.bind(to: address) else { return false }
    listener.close()
    return true
}
