import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTestSupport
import KlientWire
import Testing

/// SPDY/3.1 port-forward (KUBERNETES-WIRE §3), directly and through the
/// KEP-4006 WebSocket tunnel, with a test client on KlientWire's SPDY codec.
@Suite struct PortForwardSPDYTests {
    private func spdyClient(_ server: HTTPServer) async throws -> PortForwardTestSPDYClient {
        let upgraded = try await PortForwardTestSPDYClient.upgrade(to: server.localAddress)
        #expect(upgraded.head.first?.hasPrefix("HTTP/1.1 101") == true)
        #expect(upgraded.head.contains { $0.lowercased() == "x-stream-protocol-version: portforward.k8s.io" })
        #expect(upgraded.head.contains { $0.lowercased() == "upgrade: spdy/3.1" })
        return try #require(upgraded.client)
    }

    private func tunnelClient(_ server: HTTPServer) async throws -> PortForwardTestSPDYClient {
        let socket = try await WebSocketClient.connect(
            client: HTTPClient(), endpoint: try HTTPEndpoint(url: server.url), target: PFTest.portForwardPath,
            subprotocols: ["SPDY/3.1+portforward.k8s.io"], requireSubprotocol: true)
        #expect(socket.subprotocol == "SPDY/3.1+portforward.k8s.io")
        return PortForwardTestSPDYClient(transport: WebSocketByteStream(socket))
    }

    /// Two forwarded connections at once in one session, 4 MiB each way each,
    /// byte-exact; the error streams end empty.
    private func twoConcurrentConnections(_ client: PortForwardTestSPDYClient, port: UInt16) async throws {
        let payloads = [TestBytes.pattern(count: 4 << 20, seed: 11), TestBytes.pattern(count: 4 << 20, seed: 12)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, payload) in payloads.enumerated() {
                let (errorID, dataID) = try await client.openPortForward(port: port, requestID: i)
                group.addTask { try await client.sendAll(dataID, payload) }
                group.addTask {
                    let echoed = try await client.readAll(dataID, expected: payload.count)
                    #expect(TestBytes.same(echoed, payload), "connection \(i): got \(echoed.count) of \(payload.count) bytes")
                    #expect(try await client.readAll(errorID).isEmpty)
                    #expect(client.wasReplied(errorID) && client.wasReplied(dataID))
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func spdyTwoConcurrentConnectionsByteExact() async throws {
        let target = try TCPTestTarget(.echo)
        let server = try PFTest.server(pod: PFTest.pod([8080: target.address]))
        defer { server.shutdown() }
        let client = try await spdyClient(server)
        defer { client.close() }
        try await twoConcurrentConnections(client, port: 8080)
        #expect(target.connections.load() == 2)
    }

    @Test func spdyHalfCloseReachesThePod() async throws {
        // The pod answers only after it reads EOF: the client's FIN must become
        // a write shutdown while the way back stays open.
        let target = try TCPTestTarget(.countAfterEOF)
        let server = try PFTest.server(pod: PFTest.pod([80: target.address]))
        defer { server.shutdown() }
        let client = try await spdyClient(server)
        defer { client.close() }
        let (errorID, dataID) = try await client.openPortForward(port: 80, requestID: 0)
        try await client.sendAll(dataID, TestBytes.pattern(count: 1_000_003, seed: 3))
        #expect(String(decoding: try await client.readAll(dataID), as: UTF8.self) == "1000003\n")
        #expect(try await client.readAll(errorID).isEmpty)
    }

    @Test func spdyRefusedPortWritesErrorStream() async throws {
        let closed = try TestBytes.closedPort()
        let server = try PFTest.server(pod: PFTest.pod([80: "127.0.0.1:\(closed)"]))
        defer { server.shutdown() }
        let client = try await spdyClient(server)
        defer { client.close() }
        let (errorID, dataID) = try await client.openPortForward(port: 80, requestID: 0)
        let message = String(decoding: try await client.readAll(errorID), as: UTF8.self)
        #expect(message == "error forwarding port 80 to pod \(PFTest.podName), uid \(PFTest.uid): "
                + "dial tcp4 127.0.0.1:\(closed): connect: connection refused")
        #expect(try await client.readAll(dataID).isEmpty)
    }

    @Test func spdyInvalidStreamsAreResetAndPingsEchoed() async throws {
        let server = try PFTest.server(pod: PFTest.pod([:]))
        defer { server.shutdown() }
        let client = try await spdyClient(server)
        defer { client.close() }
        let noPort = try await client.openStream(["streamtype": "data", "requestid": "0"])
        let badType = try await client.openStream(["streamtype": "stdin", "port": "80", "requestid": "1"])
        let zeroPort = try await client.openStream(["streamtype": "error", "port": "0", "requestid": "2"])
        for id in [noPort, badType, zeroPort] {
            await #expect(throws: PortForwardTestSPDYClient.StreamReset.self) { try await client.readAll(id) }
        }
        try await client.ping(7)
        #expect(try await client.pongs.receive() == 7)
    }

    @Test func spdyClientResetEndsOneConnectionNotTheSession() async throws {
        let target = try TCPTestTarget(.source(count: 64 << 20))
        let server = try PFTest.server(pod: PFTest.pod([80: target.address]))
        defer { server.shutdown() }
        let client = try await spdyClient(server)
        defer { client.close() }
        let (errorID, dataID) = try await client.openPortForward(port: 80, requestID: 0)
        try await client.reset(dataID)
        // The error stream still ends cleanly, and the session takes the next connection.
        #expect(try await client.readAll(errorID).isEmpty)
        let (errorID2, dataID2) = try await client.openPortForward(port: 80, requestID: 1)
        try await client.fin(dataID2)
        #expect(try await client.readAll(dataID2, expected: 64 << 20).count == 64 << 20)
        #expect(try await client.readAll(errorID2).isEmpty)
    }

    @Test func spdyDropAllStreamsEndsTheSession() async throws {
        let target = try TCPTestTarget(.echo)
        let registry = StreamRegistry()
        let server = try PFTest.server(pod: PFTest.pod([80: target.address]), registry: registry)
        defer { server.shutdown() }
        let client = try await spdyClient(server)
        defer { client.close() }
        let (_, dataID) = try await client.openPortForward(port: 80, requestID: 0)
        try await client.send(dataID, [1, 2, 3])
        #expect(registry.count == 1)
        #expect(registry.dropAll() == 1)
        await #expect(throws: (any Error).self) { _ = try await client.readAll(dataID) }
    }

    @Test func spdyWithoutProtocolHeaderIs400AndUnknownIs403() async throws {
        let server = try PFTest.server(pod: PFTest.pod([:]))
        defer { server.shutdown() }
        let none = try await PortForwardTestSPDYClient.upgrade(to: server.localAddress, protocols: [])
        #expect(none.client == nil && none.head.first?.contains(" 400 ") == true)
        #expect(String(decoding: none.body, as: UTF8.self).contains("X-Stream-Protocol-Version is required"))
        let other = try await PortForwardTestSPDYClient.upgrade(to: server.localAddress, protocols: ["v4.channel.k8s.io"])
        #expect(other.client == nil && other.head.first?.contains(" 403 ") == true)
        #expect(other.head.contains { $0.lowercased() == "x-accepted-stream-protocol-versions: portforward.k8s.io" })
    }

    @Test func tunnelTwoConcurrentConnectionsByteExact() async throws {
        let target = try TCPTestTarget(.echo)
        let registry = StreamRegistry()
        let server = try PFTest.server(pod: PFTest.pod([8080: target.address]), registry: registry)
        defer { server.shutdown() }
        let client = try await tunnelClient(server)
        try await twoConcurrentConnections(client, port: 8080)
        #expect(registry.count == 1)
        client.close()
    }

    @Test func tunnelHalfCloseAndErrorStream() async throws {
        let target = try TCPTestTarget(.countAfterEOF)
        let closed = try TestBytes.closedPort()
        let server = try PFTest.server(pod: PFTest.pod([80: target.address, 81: "127.0.0.1:\(closed)"]))
        defer { server.shutdown() }
        let client = try await tunnelClient(server)
        defer { client.close() }
        let (errorID, dataID) = try await client.openPortForward(port: 80, requestID: 0)
        try await client.sendAll(dataID, TestBytes.pattern(count: 300_000, seed: 5))
        #expect(String(decoding: try await client.readAll(dataID), as: UTF8.self) == "300000\n")
        #expect(try await client.readAll(errorID).isEmpty)
        let (errorID2, _) = try await client.openPortForward(port: 81, requestID: 1)
        #expect(String(decoding: try await client.readAll(errorID2), as: UTF8.self).hasSuffix("connect: connection refused"))
    }
}

/// The byte-stream adapter on its own.
@Suite struct PortForwardWebSocketByteStreamTests {
    @Test func joinsBinaryMessagesAndTreatsNormalCloseAsEOF() async throws {
        let (a, b) = try socketPair()
        let server = WebSocket(stream: a, role: .server, subprotocol: nil)
        let client = WebSocket(stream: b, role: .client, subprotocol: nil)
        let stream = WebSocketByteStream(server, transport: a)
        try await client.send(binary: [1, 2, 3])
        try await client.send(binary: [4, 5])
        #expect(try await stream.read(maxBytes: 2) == [1, 2])
        #expect(try await stream.read(maxBytes: 10) == [3])
        #expect(try await stream.read(maxBytes: 10) == [4, 5])
        try await stream.write([9, 8, 7])
        #expect(try await client.receive() == .binary([9, 8, 7]))
        let closing = Task { await client.close(code: .normalClosure) }
        #expect(try await stream.read(maxBytes: 10) == [])
        await closing.value
    }

    @Test func textMessageIsAnError() async throws {
        let (a, b) = try socketPair()
        let server = WebSocket(stream: a, role: .server, subprotocol: nil)
        let client = WebSocket(stream: b, role: .client, subprotocol: nil)
        let stream = WebSocketByteStream(server, transport: a)
        try await client.send(text: "nope")
        await #expect(throws: WebSocketByteStreamError.self) { try await stream.read(maxBytes: 10) }
        stream.close()
        _ = client
    }

    @Test func abnormalCloseIsAnError() async throws {
        let (a, b) = try socketPair()
        let server = WebSocket(stream: a, role: .server, subprotocol: nil)
        let stream = WebSocketByteStream(server, transport: a)
        b.close()
        await #expect(throws: WebSocketByteStreamError.self) { try await stream.read(maxBytes: 10) }
    }
}
