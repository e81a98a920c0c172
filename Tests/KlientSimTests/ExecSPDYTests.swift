import Foundation
import KlientIO
import KlientSim
import KlientWire
import Testing

/// A minimal SPDY/3.1 exec client over a raw socket, as client-go's SPDY executor behaves.
private final class SPDYExecClient {
    let socket: Socket
    let head: String
    private let encoder = SPDYFrameEncoder()
    private var decoder = SPDYFrameDecoder()

    var data: [UInt32: [UInt8]] = [:]
    var finished: Set<UInt32> = []
    var replies: Set<UInt32> = []
    var pings: [UInt32] = []
    var goAway = false

    init(harness: ExecHarness, query: String, versions: [String]) async throws {
        socket = try await Socket.connect(to: .ipv4("127.0.0.1", port: harness.port))
        var lines = ["POST /api/v1/namespaces/default/pods/web-1/exec?\(query) HTTP/1.1", "Host: localhost",
                     "Connection: Upgrade", "Upgrade: SPDY/3.1", "Content-Length: 0"]
        lines += versions.map { "X-Stream-Protocol-Version: \($0)" }
        try await socket.write(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8))
        var received: [UInt8] = []
        while true {
            let bytes = try await withTimeout(.seconds(30), "reading the upgrade response") { [socket] in
                try await socket.read(maxBytes: 65536)
            }
            if bytes.isEmpty { break }
            received += bytes
            if let end = received.indices.dropLast(3).first(where: { received[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) {
                head = String(decoding: received[..<end], as: UTF8.self)
                decoder.append(received[(end + 4)...])
                return
            }
        }
        head = String(decoding: received, as: UTF8.self)
    }

    func send(_ frame: SPDYFrame) async throws {
        try await socket.write(try encoder.encode(frame))
    }

    func open(_ id: UInt32, _ type: String) async throws {
        try await send(.synStream(streamID: id, associatedStreamID: 0, priority: 0, slot: 0, flags: [],
                                  headers: ["streamtype": type]))
    }

    /// Reads frames until `done` holds or the connection ends.
    func read(until done: (SPDYExecClient) -> Bool) async throws {
        while !done(self) {
            if let frame = try decoder.next() {
                switch frame {
                case let .synReply(id, _, _): replies.insert(id)
                case let .data(id, flags, payload):
                    data[id, default: []] += payload
                    if flags.contains(.fin) { finished.insert(id) }
                case let .ping(id): pings.append(id)
                case .goAway: goAway = true
                default: break
                }
                continue
            }
            let bytes = try await withTimeout(.seconds(60), "reading SPDY frames") { [socket] in
                try await socket.read(maxBytes: 65536)
            }
            if bytes.isEmpty { return }
            decoder.append(bytes)
        }
    }

    func text(_ id: UInt32) -> String { String(decoding: data[id] ?? [], as: UTF8.self) }
}

@Suite("Exec over SPDY")
struct ExecSPDYTests {
    static let kubectlVersions = ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"]

    @Test func stdinStdoutStderrAndExitStatus() async throws {
        let harness = try ExecHarness()
        let client = try await SPDYExecClient(
            harness: harness, query: commandQuery(["sh", "-c", "cat; echo err >&2; exit 3"]) + "&stdin=true&stdout=true&stderr=true",
            versions: Self.kubectlVersions)
        defer { client.socket.close() }
        #expect(client.head.hasPrefix("HTTP/1.1 101"))
        #expect(client.head.contains("X-Stream-Protocol-Version: v4.channel.k8s.io"))
        #expect(client.head.contains("Upgrade: SPDY/3.1"))
        // client-go's order: error first, then stdin, stdout, stderr.
        for (id, type) in [(UInt32(1), "error"), (3, "stdin"), (5, "stdout"), (7, "stderr")] {
            try await client.open(id, type)
        }
        try await client.read { $0.replies.count == 4 }
        try await client.send(.ping(id: 1))
        try await client.send(.data(streamID: 3, flags: [], payload: Array("hello ".utf8)))
        try await client.send(.data(streamID: 3, flags: .fin, payload: Array("spdy\n".utf8)))
        try await client.read { $0.finished.isSuperset(of: [1, 5, 7]) && $0.goAway }
        #expect(client.pings == [1])
        #expect(client.text(5) == "hello spdy\n")
        #expect(client.text(7) == "err\n")
        #expect(client.text(1) == #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c cat; echo err \u003e\u00262; exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#)
    }

    @Test func ttyResizeStream() async throws {
        let harness = try ExecHarness()
        let client = try await SPDYExecClient(
            harness: harness, query: commandQuery(["sh", "-c", "stty size; read go; stty size"]) + "&stdin=true&stdout=true&tty=true",
            versions: Self.kubectlVersions)
        defer { client.socket.close() }
        for (id, type) in [(UInt32(1), "error"), (3, "stdin"), (5, "stdout"), (7, "resize")] {
            try await client.open(id, type)
        }
        try await client.read { $0.text(5).contains("24 80") }
        try await client.send(.data(streamID: 7, flags: [], payload: KubernetesTerminalSize(width: 90, height: 30).jsonBytes()))
        try await client.send(.data(streamID: 3, flags: [], payload: Array("go\n".utf8)))
        try await client.read { $0.finished.contains(1) }
        #expect(client.text(5).contains("30 90"), "\(client.text(5))")
        #expect(client.text(1) == #"{"metadata":{},"status":"Success"}"#)
    }

    @Test func olderVersionsWritePlainTextErrors() async throws {
        let harness = try ExecHarness()
        for (command, expected) in [("exit 3", "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"),
                                    ("true", "")] {
            let client = try await SPDYExecClient(harness: harness, query: commandQuery(["sh", "-c", command]) + "&stdout=true",
                                                  versions: ["v2.channel.k8s.io", "channel.k8s.io"])
            defer { client.socket.close() }
            #expect(client.head.contains("X-Stream-Protocol-Version: v2.channel.k8s.io"))
            try await client.open(1, "error")
            try await client.open(3, "stdout")
            try await client.read { $0.finished.contains(1) }
            #expect(client.text(1) == expected)
        }
    }

    @Test func negotiationFailures() async throws {
        let harness = try ExecHarness()
        let spdy = ["Connection: Upgrade", "Upgrade: SPDY/3.1"]
        let missing = try await harness.plainRequest("POST", commandQuery(["true"]) + "&stdout=true", headers: spdy)
        #expect(missing.head.hasPrefix("HTTP/1.1 400"))
        #expect(missing.body == "unable to upgrade: X-Stream-Protocol-Version is required\n")
        let unknown = try await harness.plainRequest("POST", commandQuery(["true"]) + "&stdout=true",
                                                     headers: spdy + ["X-Stream-Protocol-Version: v9.channel.k8s.io"])
        #expect(unknown.head.hasPrefix("HTTP/1.1 403"))
        #expect(unknown.head.contains("X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io"))
        #expect(unknown.body.hasPrefix("unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server accepts ["))
    }
}
