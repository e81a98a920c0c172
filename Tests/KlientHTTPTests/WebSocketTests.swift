import KlientHTTP
import KlientIO
import KlientTestSupport
import KlientTLS
import KlientWire
import Testing

/// Drives an echo server (klient's or ws_peer.py's; same commands) through
/// text, binary, fragmented, 1 MiB and 16 MiB messages, pings both ways and
/// the close handshake started by either side.
func runEchoScript(url: String, tls: TLSContext?) async throws {
    let client = HTTPClient()
    let endpoint = try HTTPEndpoint(url: url, tls: tls)
    var configuration = WebSocket.Configuration()
    configuration.pingInterval = nil
    let offer = ["v5.channel.k8s.io", "v4.channel.k8s.io"]
    let socket = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/ws",
                                                   subprotocols: offer, requireSubprotocol: true,
                                                   configuration: configuration)
    #expect(socket.subprotocol == "v5.channel.k8s.io")

    try await socket.send(text: "hello ✓")
    #expect(try await socket.receive() == .text("hello ✓"))
    try await socket.send(binary: Array(0...255))
    #expect(try await socket.receive() == .binary(Array(0...255)))
    try await socket.send(fragments: [Array("a".utf8), Array("b".utf8), Array("cé".utf8)], text: true)
    #expect(try await socket.receive() == .text("abcé"))
    for size in [1 << 20, 16 << 20] {
        let payload = testPattern(size)
        try await socket.send(binary: payload)
        let echoed = try await socket.receive()
        #expect(echoed == .binary(payload), "echo of \(size) bytes differs")
    }
    try await withTimeout(.seconds(60), "waiting for a pong") { try await socket.ping(Array("are-you-there".utf8)) }
    try await socket.send(text: "cmd:ping")
    #expect(try await socket.receive() == .text("pong-received"))
    try await socket.send(text: "cmd:fragmented")
    #expect(try await socket.receive() == .text("fragmented ✓"))
    #expect(try await socket.receive() == .binary([0, 1, 2, 3]))
    await socket.close(code: .normalClosure, reason: "client-done")
    // The peer echoes the code (RFC 6455 §5.5.1); echoing the reason is optional.
    #expect(socket.closeReasonCode == .normalClosure)

    let second = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/ws",
                                                   subprotocols: offer, configuration: configuration)
    try await second.send(text: "cmd:close")
    #expect(try await second.receive() == nil)
    #expect(second.closeReason == .peerClosed(code: WebSocketCloseCode(4001), reason: "server-initiated"))
    await #expect(throws: WebSocketClosedError.self) { try await second.send(text: "too late") }
}

@Suite("WebSocket client and server")
struct WebSocketTests {
    @Test func klientClientAgainstKlientServer() async throws {
        let server = try WebSocketEchoServer()
        defer { server.shutdown() }
        try await runEchoScript(url: server.url, tls: nil)
        // The server saw the client's close (1000) and then closed one itself.
        try await withTimeout(.seconds(10)) { while server.closeReasons.count < 2 { try await Task.sleep(for: .milliseconds(10)) } }
        #expect(server.closeReasons.contains(.peerClosed(code: .normalClosure, reason: "client-done")))
    }

    @Test func klientClientAgainstKlientServerOverTLS() async throws {
        let pki = TestPKI.shared
        let server = try WebSocketEchoServer(tls: try pki.serverContext())
        defer { server.shutdown() }
        try await runEchoScript(url: server.url, tls: try pki.clientContext())
    }

    @Test func subprotocolFollowsTheClientsOrder() async throws {
        let server = try WebSocketEchoServer()
        defer { server.shutdown() }
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url)
        let v4 = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/",
                                                   subprotocols: ["v4.channel.k8s.io", "v5.channel.k8s.io"])
        #expect(v4.subprotocol == "v4.channel.k8s.io")
        await v4.close()
        let none = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/",
                                                     subprotocols: ["x.example"])
        #expect(none.subprotocol == nil)
        await none.close()
        let error = await #expect(throws: WebSocketHandshakeError.self) {
            _ = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/",
                                                  subprotocols: ["x.example"], requireSubprotocol: true)
        }
        #expect(error?.isUpgradeFailure == true)
    }

    @Test func refusedUpgradeReportsTheStatus() async throws {
        let http = try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0")) { _ in
            .text(403, "pods \"x\" is forbidden: cannot get pods/exec")
        }
        defer { http.shutdown() }
        let error = await #expect(throws: WebSocketHandshakeError.self) {
            _ = try await WebSocketClient.connect(client: HTTPClient(), endpoint: try HTTPEndpoint(url: http.url), target: "/")
        }
        #expect(error?.isUpgradeFailure == true)
        #expect(error?.description.contains("403") == true)
        #expect(error?.description.contains("forbidden") == true)
    }

    @Test func plainRequestToAWebSocketEndpointGetsAClearError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.shutdown() }
        let response = try await HTTPClient().execute(HTTPClientRequest(target: "/ws"),
                                                      on: try HTTPEndpoint(url: server.http.url))
        #expect((400..<500).contains(response.status))
        #expect(!response.body.isEmpty)
    }

    @Test func unmaskedClientFrameIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.shutdown() }
        let socket = try await Socket.connect(to: server.http.localAddress)
        defer { socket.close() }
        let key = WebSocketHandshake.generateKey()
        var request = "GET /ws HTTP/1.1\r\n"
        for (name, value) in WebSocketHandshake.clientRequestHeaders(host: "localhost", key: key) {
            request += "\(name): \(value)\r\n"
        }
        try await socket.write(Array((request + "\r\n").utf8))
        // An unmasked text frame from a client violates RFC 6455 §5.1.
        try await socket.write(WebSocketFrameEncoder(role: .server).encode(WebSocketFrame(opcode: .text, payload: Array("hi".utf8))))
        var received: [UInt8] = []
        while true {
            let bytes = try await withTimeout(.seconds(10)) { try await socket.read(maxBytes: 4096) }
            if bytes.isEmpty { break }
            received += bytes
        }
        var decoder = HTTPResponseDecoder()
        decoder.append(received)
        guard case .head(let head) = try decoder.next(), case .upgrade(let rest) = try decoder.next() else {
            Issue.record("no 101 response")
            return
        }
        #expect(head.status == 101)
        var frames = WebSocketFrameDecoder(role: .client)
        frames.append(rest)
        let close = try #require(try frames.next())
        #expect(close.opcode == .close)
        #expect(try WebSocketClosePayload.parse(close.payload).code == .protocolError)
    }

    @Test func oversizedMessageClosesWith1009() async throws {
        var limited = WebSocket.Configuration()
        limited.maxMessageSize = 1024
        limited.pingInterval = nil
        let configuration = limited
        let http = try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0")) { request in
            WebSocketServer.upgrade(request, configuration: configuration) { socket in
                while (try? await socket.receive()) != nil {}
            }
        }
        defer { http.shutdown() }
        var clientConfiguration = WebSocket.Configuration()
        clientConfiguration.pingInterval = nil
        let socket = try await WebSocketClient.connect(client: HTTPClient(), endpoint: try HTTPEndpoint(url: http.url),
                                                       target: "/", configuration: clientConfiguration)
        try await socket.send(binary: [UInt8](repeating: 1, count: 4096))
        #expect(try await socket.receive() == nil)
        #expect(socket.closeReasonCode == .messageTooBig)
    }

    /// Both ends send and receive at full speed while pinging each other
    /// constantly. A reader that waited for the write lock to answer a ping,
    /// or (TLS) flushed a writer's ciphertext itself, while its writer waited
    /// for the peer whose reader did the same, deadlocked here; the transfer
    /// must finish.
    @Test(arguments: [false, true])
    func twoWayBulkTransferWithPingsBothWaysCompletes(overTLS: Bool) async throws {
        let pki = TestPKI.shared
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = .milliseconds(5)
        configuration.inactivityTimeout = nil
        let serverConfiguration = configuration
        let messages = 128
        let message = [UInt8](repeating: 7, count: 256 * 1024)
        @Sendable func pump(_ socket: WebSocket) async throws -> Int {
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    for _ in 0..<messages { try await socket.send(binary: message) }
                    return 0
                }
                group.addTask {
                    var received = 0
                    while received < messages * message.count, let next = try await socket.receive() {
                        if case .binary(let bytes) = next { received += bytes.count }
                        // A slower reader than writer: the writers wait on full buffers,
                        // which is when a reader answering a ping met the held write lock.
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    return received
                }
                return try await group.reduce(0, +)
            }
        }
        let http = try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0"),
                                        tls: overTLS ? try pki.serverContext() : nil) { request in
            WebSocketServer.upgrade(request, configuration: serverConfiguration) { socket in
                _ = try? await pump(socket)
                try? await Task.sleep(for: .seconds(1))
                await socket.close()
            }
        }
        defer { http.shutdown() }
        let endpoint = try HTTPEndpoint(url: http.url, tls: overTLS ? try pki.clientContext() : nil)
        let socket = try await WebSocketClient.connect(client: HTTPClient(), endpoint: endpoint,
                                                       target: "/", configuration: configuration)
        let received = try await withTimeout(.seconds(120), "the two-way transfer") { try await pump(socket) }
        #expect(received == messages * message.count)
        await socket.close()
    }

    @Test func processWideThreadCountDoesNotGrowWithConnections() async throws {
        try ProcessStats.raiseFileDescriptorLimit()
        let server = try WebSocketEchoServer()
        defer { server.shutdown() }
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url)
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = nil
        let before = try ProcessStats.threadCount()
        var sockets: [WebSocket] = []
        for _ in 0..<200 {
            sockets.append(try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/",
                                                             configuration: configuration))
        }
        for socket in sockets { try await socket.send(text: "x") }
        for socket in sockets { #expect(try await socket.receive() == .text("x")) }
        let during = try ProcessStats.threadCount()
        #expect(during <= before + 4, "threads grew from \(before) to \(during) with 400 open sockets")
        for socket in sockets { await socket.close() }
    }
}

extension WebSocket {
    /// The code of the peer's Close, for assertions that only care about the code.
    var closeReasonCode: WebSocketCloseCode? {
        if case .peerClosed(let code, _) = closeReason { return code }
        return nil
    }
}
