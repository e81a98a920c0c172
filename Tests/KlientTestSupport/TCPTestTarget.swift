#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import KlientIO
import Synchronization

/// Bytes and socket helpers shared by the port-forward tests.
public enum TestBytes {
    /// Deterministic bytes that differ at every offset of a 64-bit word.
    public static func pattern(count: Int, seed: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var x = seed &* 0x9E37_79B9_7F4A_7C15 | 1
            var i = 0
            while i + 8 <= count {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17
                withUnsafeBytes(of: x) { word in
                    for k in 0..<8 { buffer[i + k] = word[k] }
                }
                i += 8
            }
            while i < count { buffer[i] = UInt8(truncatingIfNeeded: i); i += 1 }
            initialized = count
        }
    }

    /// Byte-wise equality through memcmp (fast in debug builds too).
    public static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in
            a.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then released).
    public static func closedPort() throws -> UInt16 {
        // Bound but not listening, and kept for the life of the test process:
        // connecting is refused, and no parallel test can be given the port
        // (a port merely closed again could be handed to another listener).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError(errno: errno, operation: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw IOError(errno: code, operation: "bind a reserved port")
        }
        reserved.withLock { $0.append(fd) }
        return UInt16(bigEndian: address.sin_port)
    }

    private static let reserved = Mutex<[Int32]>([])

    /// Writes `bytes` in chunks, then half-closes.
    public static func writeAll(_ stream: Socket, _ bytes: [UInt8], chunk: Int = 256 * 1024) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            try await stream.write(Array(bytes[offset..<end]))
            offset = end
        }
        try await stream.shutdownWrite()
    }

    /// Reads to end of stream.
    public static func readAll(_ stream: Socket, expected: Int = 0) async throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(expected)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = try await stream.read(into: buffer)
            if n == 0 { return out }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}

/// A TCP server on 127.0.0.1 standing in for a pod port in port-forward tests.
public final class TCPTestTarget: Sendable {
    public enum Mode: Sendable {
        /// Sends back what it reads; half-closes after the client's EOF.
        case echo
        /// Reads to EOF, then answers `"<count>\n"`: proves a real half-close.
        case countAfterEOF
        /// Sends `count` pattern bytes, then closes.
        case source(count: Int)
        /// Sends these bytes and closes at once.
        case greetAndClose([UInt8])
        /// Sends these bytes on accept (a server that speaks first), then echoes.
        case bannerThenEcho([UInt8])
    }

    public let listener: Listener
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    /// Connections accepted so far.
    public final class Counter: Sendable {
        private let value = Mutex(0)
        public func increment() { value.withLock { $0 += 1 } }
        public func load(ordering: Void = ()) -> Int { value.withLock { $0 } }
    }
    public let connections = Counter()
    /// Banners written so far (`bannerThenEcho`).
    public let bannersWritten = Counter()

    public var port: UInt16 { listener.localAddress.port! }
    public var address: String { "127.0.0.1:\(port)" }

    public init(_ mode: Mode) throws {
        listener = try Listener.bind(to: .ipv4("127.0.0.1", port: 0))
        let listener = self.listener
        let connections = self.connections
        let banners = self.bannersWritten
        task.withLock {
            $0 = Task {
                await withDiscardingTaskGroup { group in
                    while let socket = try? await listener.accept() {
                        connections.increment()
                        group.addTask { await Self.serve(socket, mode, banners: banners) }
                    }
                }
            }
        }
    }

    deinit { close() }

    public func close() {
        listener.close()
        task.withLock { $0?.cancel() }
    }

    private static func serve(_ socket: Socket, _ mode: Mode, banners: Counter) async {
        defer { socket.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        do {
            switch mode {
            case .echo, .bannerThenEcho:
                if case .bannerThenEcho(let banner) = mode {
                    try await socket.write(banner)
                    banners.increment()
                }
                while true {
                    let n = try await socket.read(into: buffer)
                    if n == 0 { break }
                    try await socket.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                }
                try await socket.shutdownWrite()
            case .countAfterEOF:
                var count = 0
                while true {
                    let n = try await socket.read(into: buffer)
                    if n == 0 { break }
                    count += n
                }
                try await socket.write(Array("\(count)\n".utf8))
                try await socket.shutdownWrite()
            case .source(let count):
                let chunk = TestBytes.pattern(count: 256 * 1024, seed: 7)
                var left = count
                while left > 0 {
                    let n = min(left, chunk.count)
                    try await socket.write(n == chunk.count ? chunk : Array(chunk[0..<n]))
                    left -= n
                }
                try await socket.shutdownWrite()
                _ = try? await socket.read(into: buffer) // wait for the client's EOF, so close sends no RST
            case .greetAndClose(let bytes):
                try await socket.write(bytes)
                try await socket.shutdownWrite()
            }
        } catch {}
    }
}
