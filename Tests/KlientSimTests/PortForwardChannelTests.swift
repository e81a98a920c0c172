import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTestSupport
import KlientWire
import Testing

/// WebSocket channel mode (KUBERNETES-WIRE §2) through KlientHTTP's WebSocketClient.
@Suite struct PortForwardChannelTests {
    private func connect(_ server: HTTPServer, query: String, subprotocols: [String] = ["v4.channel.k8s.io"])
        async throws -> WebSocket {
        let endpoint = try HTTPEndpoint(url: server.url)
        return try await WebSocketClient.connect(client: HTTPClient(), endpoint: endpoint,
                                                 target: PFTest.portForwardPath + query, subprotocols: subprotocols)
    }

    /// Receives one binary message as (channel, payload).
    private func next(_ socket: WebSocket) async throws -> (UInt8, [UInt8])? {
        while let message = try await socket.receive() {
            guard case .binary(let bytes) = message else { Issue.record("unexpected \(message)"); continue }
            guard let first = bytes.first else { continue }
            return (first, Array(bytes.dropFirst()))
        }
        return nil
    }

    @Test func eightMiBBothWaysByteExact() async throws {
        let target = try TCPTestTarget(.echo)
        let server = try PFTest.server(pod: PFTest.pod([8080: target.address]))
        defer { server.shutdown() }
        let socket = try await connect(server, query: "?ports=8080")
        #expect(socket.subprotocol == "v4.channel.k8s.io")

        let payload = TestBytes.pattern(count: 8 << 20, seed: 1)
        let writer = Task {
            var offset = 0
            while offset < payload.count {
                let end = min(offset + 64 * 1024, payload.count)
                try await socket.send(binary: [0] + payload[offset..<end])
                offset = end
            }
        }
        var announced: [UInt8: [UInt8]] = [:]
        var received: [UInt8] = []
        received.reserveCapacity(payload.count)
        while received.count < payload.count, let (channel, bytes) = try await next(socket) {
            if announced[channel] == nil {
                announced[channel] = bytes
                continue
            }
            #expect(channel == 0, "unexpected data on channel \(channel): \(String(decoding: bytes, as: UTF8.self))")
            received.append(contentsOf: bytes)
        }
        try await writer.value
        #expect(announced[0] == [0x90, 0x1F] && announced[1] == [0x90, 0x1F], "port 8080 little-endian on both channels")
        #expect(TestBytes.same(received, payload), "echoed bytes differ (got \(received.count) of \(payload.count))")
        await socket.close()
        #expect(target.connections.load() == 1)
    }

    @Test func firstMessagesForSeveralPortsAndCommaLists() async throws {
        let a = try TCPTestTarget(.greetAndClose(Array("A".utf8)))
        let b = try TCPTestTarget(.greetAndClose(Array("B".utf8)))
        let c = try TCPTestTarget(.greetAndClose(Array("C".utf8)))
        let server = try PFTest.server(pod: PFTest.pod([80: a.address, 443: b.address, 9000: c.address]))
        defer { server.shutdown() }
        let socket = try await connect(server, query: "?ports=80,443&ports=9000")
        var firsts: [UInt8: [UInt8]] = [:]
        var data: [UInt8: [UInt8]] = [:]
        while let (channel, bytes) = try await next(socket) {
            if firsts[channel] == nil { firsts[channel] = bytes } else { data[channel, default: []] += bytes }
        }
        #expect(firsts == [0: [80, 0], 1: [80, 0], 2: [0xBB, 0x01], 3: [0xBB, 0x01], 4: [0x28, 0x23], 5: [0x28, 0x23]])
        #expect(data == [0: Array("A".utf8), 2: Array("B".utf8), 4: Array("C".utf8)])
        // Every target closed: the server ends the session with a normal close.
        #expect(socket.closeReason == .peerClosed(code: .normalClosure, reason: ""))
    }

    @Test func refusedPortPutsGoStyleErrorOnErrorChannel() async throws {
        let closed = try TestBytes.closedPort()
        let server = try PFTest.server(pod: PFTest.pod([80: "127.0.0.1:\(closed)"]))
        defer { server.shutdown() }
        let socket = try await connect(server, query: "?ports=80")
        var messages: [(UInt8, [UInt8])] = []
        while let m = try await next(socket) { messages.append(m) }
        #expect(messages.count == 3)
        #expect(messages.first.map { [$0.0] + $0.1 } == [0, 80, 0])
        #expect(messages.dropFirst().first.map { [$0.0] + $0.1 } == [1, 80, 0])
        let error = messages.last.map { String(decoding: $0.1, as: UTF8.self) }
        #expect(messages.last?.0 == 1)
        #expect(error == "error forwarding port 80 to pod \(PFTest.podName), uid \(PFTest.uid): "
                + "dial tcp4 127.0.0.1:\(closed): connect: connection refused")
        #expect(socket.closeReason == .peerClosed(code: .normalClosure, reason: ""))
    }

    @Test func defaultTargetIsLoopbackPort() async throws {
        let target = try TCPTestTarget(.greetAndClose(Array("hi".utf8)))
        let server = try PFTest.server(pod: PFTest.pod([:]))
        defer { server.shutdown() }
        let socket = try await connect(server, query: "?ports=\(target.port)")
        var data: [UInt8] = []
        var seen = Set<UInt8>()
        while let (channel, bytes) = try await next(socket) {
            if seen.insert(channel).inserted { continue }
            data += bytes
        }
        #expect(data == Array("hi".utf8))
    }

    @Test func base64ProtocolAndNoProtocol() async throws {
        let target = try TCPTestTarget(.greetAndClose(Array("hello".utf8)))
        let server = try PFTest.server(pod: PFTest.pod([80: target.address]))
        defer { server.shutdown() }

        let b64 = try await connect(server, query: "?ports=80", subprotocols: ["v4.base64.channel.k8s.io"])
        #expect(b64.subprotocol == "v4.base64.channel.k8s.io")
        var texts: [String] = []
        while let message = try await b64.receive() {
            if case .text(let t) = message { texts.append(t) } else { Issue.record("base64 mode sent \(message)") }
        }
        #expect(texts == ["0UAA=", "1UAA=", "0" + Data("hello".utf8).base64EncodedString()])

        let plain = try await connect(server, query: "?ports=80", subprotocols: [])
        #expect(plain.subprotocol == nil)
        var all: [[UInt8]] = []
        while let (channel, bytes) = try await next(plain) { all.append([channel] + bytes) }
        #expect(all == [[0, 80, 0], [1, 80, 0], [0] + Array("hello".utf8)])
    }

    @Test(arguments: [("", "query parameter \"ports\" is required"),
                      ("?ports=abc", "unable to parse \"abc\" as a port"),
                      ("?ports=0", "port \"0\" must be > 0"),
                      ("?ports=70000", "unable to parse \"70000\" as a port"),
                      ("?ports=80,", "unable to parse \"80,\" as a port"),
                      ("?ports=", "query parameter \"ports\" cannot be empty")])
    func invalidPortsGetBadRequestStatus(query: String, message: String) async throws {
        let server = try PFTest.server(pod: PFTest.pod([:]))
        defer { server.shutdown() }
        do {
            _ = try await connect(server, query: query)
            Issue.record("upgrade succeeded for \(query)")
        } catch let error as WebSocketHandshakeError {
            guard case .notSwitchingProtocols(let status, _, let body) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(status == 400)
            let status400 = try JSONValue.parse(Array((body ?? "").utf8))
            #expect(status400["kind"] == "Status" && status400["code"] == 400 && status400["reason"] == "BadRequest")
            #expect(status400["message"]?.stringValue?.hasPrefix(message) == true, "\(status400)")
        }
    }

    @Test func registersStreamAndDropAllEndsSession() async throws {
        let target = try TCPTestTarget(.echo)
        let registry = StreamRegistry()
        let server = try PFTest.server(pod: PFTest.pod([80: target.address]), registry: registry)
        defer { server.shutdown() }
        let socket = try await connect(server, query: "?ports=80")
        _ = try await next(socket)
        _ = try await next(socket)
        #expect(registry.count == 1)
        #expect(registry.dropAll() == 1)
        while try await socket.receive() != nil {}
        #expect(socket.closeReason == .transportClosed)
    }

    @Test func latencyFaultDelaysEachMessage() async throws {
        let target = try TCPTestTarget(.echo)
        let faults = StreamFaults()
        let server = try PFTest.server(pod: PFTest.pod([80: target.address]), faults: faults)
        defer { server.shutdown() }
        let socket = try await connect(server, query: "?ports=80")
        _ = try await next(socket)
        _ = try await next(socket)
        faults.messageLatency = .milliseconds(300)
        let start = ContinuousClock.now
        try await socket.send(binary: [0, 0x41])
        let echoed = try await next(socket)
        // Two forwarded messages (in and out) each wait at least 300 ms.
        #expect(echoed.map { [$0.0] + $0.1 } == [0, 0x41])
        #expect(ContinuousClock.now - start >= .milliseconds(600))
        await socket.close()
    }
}
