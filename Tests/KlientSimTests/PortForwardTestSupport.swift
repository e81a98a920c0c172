import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTLS
import KlientWire
import Synchronization

// Shared pieces of the port-forward tests: pod-side target servers, an HTTP
// server that hosts the handler (plus just enough fake API for kubectl), and
// a small SPDY/3.1 client built on KlientWire's codec.

enum PFTest {
    static let namespace = "pf-ns"
    static let podName = "pf-pod"
    static let uid = "0d6f5e2a-1111-4222-8333-944455556666"

    /// A pod whose ports map to `targets` through `klient-sim/port.P` annotations.
    static func pod(_ targets: [UInt16: String]) -> PodContext {
        var annotations: [String: JSONValue] = [:]
        for (port, address) in targets { annotations["klient-sim/port.\(port)"] = .string(address) }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(podName), "namespace": .string(namespace), "uid": .string(uid),
                         "resourceVersion": "1", "creationTimestamp": "2024-01-01T00:00:00Z",
                         "annotations": .object(annotations)],
            "spec": ["containers": [["name": "main", "image": "busybox",
                                     "ports": .array(targets.keys.sorted().map { ["containerPort": .int(Int64($0))] })]],
                     "nodeName": "klient-sim"],
            "status": ["phase": "Running", "podIP": "127.0.0.1", "hostIP": "127.0.0.1"],
        ]
        return PodContext(namespace: namespace, name: podName, uid: uid, object: object, workingDirectory: "/tmp")
    }

    static var portForwardPath: String { "/api/v1/namespaces/\(namespace)/pods/\(podName)/portforward" }

    /// An HTTP(S) server whose `…/portforward` path goes to a ``PortForwardHandler``
    /// and which answers the few API reads `kubectl port-forward` makes first
    /// (discovery and GET of the pod).
    static func server(pod: PodContext, registry: StreamRegistry = StreamRegistry(), faults: StreamFaults = StreamFaults(),
                       tls: TLSContext? = nil, observe: (@Sendable (HTTPServerRequest) -> Void)? = nil) throws -> HTTPServer {
        let handler = PortForwardHandler(registry: registry, faults: faults)
        return try HTTPServer.start(on: .ipv4("127.0.0.1", port: 0), tls: tls) { request in
            observe?(request)
            let path = String(request.path)
            if path.hasSuffix("/portforward") { return await handler.handle(request, pod: pod) }
            let notFound: JSONValue = [
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404]
            let json: JSONValue
            switch path {
            case "/api":
                json = ["kind": "APIVersions", "versions": ["v1"],
                        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:443"]]]
            case "/apis":
                json = ["kind": "APIGroupList", "apiVersion": "v1", "groups": []]
            case "/api/v1":
                json = ["kind": "APIResourceList", "groupVersion": "v1", "resources": [
                    ["name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
                     "verbs": ["get", "list"], "shortNames": ["po"]],
                    ["name": "pods/portforward", "singularName": "", "namespaced": true,
                     "kind": "PodPortForwardOptions", "verbs": ["create", "get"]],
                ]]
            case "/version":
                json = ["major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"]
            case "/api/v1/namespaces/\(namespace)/pods/\(podName)":
                json = pod.object
            default:
                return HTTPServerResponse(status: 404, headers: ["Content-Type": "application/json"], body: notFound.encoded())
            }
            return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"], body: json.encoded())
        }
    }

    /// Deterministic bytes that differ at every offset of a 64-bit word.
    static func pattern(count: Int, seed: UInt64) -> [UInt8] {
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
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in
            a.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then released).
    static func closedPort() throws -> UInt16 {
        let listener = try Listener.bind(to: .ipv4("127.0.0.1", port: 0))
        defer { listener.close() }
        return listener.localAddress.port!
    }

    /// Writes `bytes` in chunks, then half-closes.
    static func writeAll(_ stream: Socket, _ bytes: [UInt8], chunk: Int = 256 * 1024) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            try await stream.write(Array(bytes[offset..<end]))
            offset = end
        }
        try await stream.shutdownWrite()
    }

    /// Reads to end of stream.
    static func readAll(_ stream: Socket, expected: Int = 0) async throws -> [UInt8] {
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

/// What a pod port does with a connection.
final class PortForwardTestTarget: Sendable {
    enum Mode: Sendable {
        /// Sends back what it reads; half-closes after the client's EOF.
        case echo
        /// Reads to EOF, then answers `"<count>\n"`: proves a real half-close.
        case countAfterEOF
        /// Sends `count` pattern bytes, then closes.
        case source(count: Int)
        /// Sends these bytes and closes at once.
        case greetAndClose([UInt8])
    }

    let listener: Listener
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    /// Connections accepted so far.
    final class Counter: Sendable {
        private let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        func load(ordering: Void = ()) -> Int { value.withLock { $0 } }
    }
    let connections = Counter()

    var port: UInt16 { listener.localAddress.port! }
    var address: String { "127.0.0.1:\(port)" }

    init(_ mode: Mode) throws {
        listener = try Listener.bind(to: .ipv4("127.0.0.1", port: 0))
        let listener = self.listener
        let connections = self.connections
        task.withLock {
            $0 = Task {
                await withDiscardingTaskGroup { group in
                    while let socket = try? await listener.accept() {
                        connections.increment()
                        group.addTask { await Self.serve(socket, mode) }
                    }
                }
            }
        }
    }

    deinit { close() }

    func close() {
        listener.close()
        task.withLock { $0?.cancel() }
    }

    private static func serve(_ socket: Socket, _ mode: Mode) async {
        defer { socket.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        do {
            switch mode {
            case .echo:
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
                let chunk = PFTest.pattern(count: 256 * 1024, seed: 7)
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
