import Foundation
import Klient
import KlientHTTP
import KlientIO
import KlientWire
import Synchronization
import Testing

/// Port-forward against scripted servers that break the rules (or bend them
/// within the rules), so each client check is exercised on purpose.
@Suite("Port-forward protocol checks against scripted servers")
struct PortForwardProtocolTests {
    /// An HTTP server whose every request is upgraded to a WebSocket with
    /// `subprotocols` and handed to `script`; and a client for it.
    static func scripted(subprotocols: [String], _ script: @escaping @Sendable (WebSocket) async -> Void) throws
        -> (HTTPServer, KubernetesClient) {
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = nil
        configuration.inactivityTimeout = nil
        let socketConfiguration = configuration
        let server = try HTTPServer.start(on: .ipv4("127.0.0.1", port: 0)) { request in
            WebSocketServer.upgrade(request, supportedSubprotocols: subprotocols, configuration: socketConfiguration, handler: script)
        }
        var clientConfiguration = ClientConfiguration(server: "http://\(server.localAddress)")
        clientConfiguration.warnings = .ignore
        return (server, try KubernetesClient(configuration: clientConfiguration))
    }

    static var fastOpen: PortForwardOptions {
        var options = PortForwardOptions()
        options.openTimeout = .seconds(30) // generous: the whole suite shares 2 cores
        return options
    }

    // MARK: Channel mode

    @Test(arguments: [
        ([[0, 0x50, 0x00], [1, 0x51, 0x00]], "names port 81"),          // error channel announces 81 for 80
        ([[0, 0x50, 0x00, 0x00]], "is 4 bytes"),                         // announcement too long
        ([[0, 0x50]], "is 2 bytes"),                                     // announcement too short
        ([[0, 0x50, 0x00], [2, 0x50, 0x00]], "channel 2"),               // a channel a one-port session lacks
    ])
    func badAnnouncementsAreProtocolViolations(messages: [[UInt8]], expected: String) async throws {
        let (server, client) = try Self.scripted(subprotocols: ["v4.channel.k8s.io"]) { socket in
            for message in messages { try? await socket.send(binary: message) }
            _ = try? await socket.receive()
        }
        defer { server.shutdown() }
        let error = await #expect(throws: PortForwardError.self) {
            _ = try await client.openPortForwardChannel(namespace: "ns", pod: "p", port: 80, options: Self.fastOpen)
        }
        guard case .protocolViolation(let why)? = error else {
            Issue.record("expected protocolViolation, got \(String(describing: error))")
            return
        }
        #expect(why.contains(expected), "\(why)")
    }

    @Test func dataBeforeTheErrorAnnouncementAndSplitMessagesAreKeptInOrder() async throws {
        let (server, client) = try Self.scripted(subprotocols: ["v4.channel.k8s.io"]) { socket in
            try? await socket.send(binary: [0, 0x50, 0x00])
            try? await socket.send(binary: [0] + Array("ab".utf8)) // before the error channel's announcement
            try? await socket.send(binary: [1, 0x50, 0x00])
            try? await socket.send(binary: [])                      // empty: skipped
            try? await socket.send(binary: [0])                     // no payload: skipped
            try? await socket.send(binary: [0] + Array("cd".utf8))
            await socket.close(code: .normalClosure)
        }
        defer { server.shutdown() }
        let channel = try await client.openPortForwardChannel(namespace: "ns", pod: "p", port: 80, options: Self.fastOpen)
        #expect(try await channel.read(maxBytes: 1) == Array("a".utf8))
        #expect(try await PFLib.readToEnd(channel) == Array("bcd".utf8)) // then EOF at Close 1000
        await channel.closed()
        #expect(channel.isClosed)
    }

    @Test func aTextMessageOrAnAbnormalCloseEndsAChannel() async throws {
        let (server, client) = try Self.scripted(subprotocols: ["v4.channel.k8s.io"]) { socket in
            try? await socket.send(binary: [0, 0x50, 0x00])
            try? await socket.send(binary: [1, 0x50, 0x00])
            try? await socket.send(binary: [0, 1])
            try? await socket.send(text: "\u{0}hello")
            _ = try? await socket.receive()
        }
        defer { server.shutdown() }
        let channel = try await client.openPortForwardChannel(namespace: "ns", pod: "p", port: 80, options: Self.fastOpen)
        #expect(try await channel.read(maxBytes: 10) == [1])
        let error = await #expect(throws: PortForwardError.self) { _ = try await channel.read(maxBytes: 10) }
        guard case .protocolViolation? = error else { Issue.record("got \(String(describing: error))"); return }

        let (other, client2) = try Self.scripted(subprotocols: ["v4.channel.k8s.io"]) { socket in
            try? await socket.send(binary: [0, 0x50, 0x00])
            try? await socket.send(binary: [1, 0x50, 0x00])
            await socket.close(code: .internalError, reason: "kubelet went away")
        }
        defer { other.shutdown() }
        let second = try await client2.openPortForwardChannel(namespace: "ns", pod: "p", port: 80, options: Self.fastOpen)
        let closed = await #expect(throws: PortForwardError.self) { _ = try await second.read(maxBytes: 10) }
        guard case .closed(let why)? = closed else { Issue.record("got \(String(describing: closed))"); return }
        #expect(why.contains("1011"), "\(why)")
    }

    // MARK: Tunnel

    @Test func a101WithoutTheTunnelSubprotocolMeansTunnelUnsupported() async throws {
        let (server, client) = try Self.scripted(subprotocols: []) { socket in _ = try? await socket.receive() }
        defer { server.shutdown() }
        let error = await #expect(throws: PortForwardError.self) {
            _ = try await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: Self.fastOpen)
        }
        guard case .tunnelUnsupported? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    /// A SPDY server script inside the tunnel: gets each decoded client frame
    /// and the means to answer; `bytewise` sends every answer one byte per message.
    static func spdyServer(bytewise: Bool = false,
                           _ onFrame: @escaping @Sendable (SPDYFrame, (SPDYFrame) async -> Void) async -> Void) throws
        -> (HTTPServer, KubernetesClient) {
        try scripted(subprotocols: [KubernetesChannelProtocol.portForwardTunnel.rawValue]) { socket in
            let encoder = Mutex(SPDYFrameEncoder())
            let reply: @Sendable (SPDYFrame) async -> Void = { frame in
                guard let bytes = try? encoder.withLock({ try $0.encode(frame) }) else { return }
                if bytewise {
                    for byte in bytes { try? await socket.send(binary: [byte]) }
                } else {
                    try? await socket.send(binary: bytes)
                }
            }
            var decoder = SPDYFrameDecoder()
            while let message = try? await socket.receive() {
                guard case .binary(let bytes) = message else { continue }
                decoder.append(bytes)
                while let frame = try? decoder.next() { await onFrame(frame, reply) }
            }
        }
    }

    @Test func framesSplitIntoOneByteMessagesStillArrive() async throws {
        // Replies to both streams, then answers the data stream with "pong" + FIN, one byte per WebSocket message.
        let (server, client) = try Self.spdyServer(bytewise: true) { frame, reply in
            switch frame {
            case .synStream(let id, _, _, _, _, let headers):
                await reply(.synReply(streamID: id, flags: [], headers: SPDYHeaders()))
                if headers["streamtype"] == "data" {
                    await reply(.data(streamID: id, flags: [], payload: Array("pong".utf8)))
                    await reply(.data(streamID: id, flags: .fin, payload: []))
                }
            default: break
            }
        }
        defer { server.shutdown() }
        let tunnel = try await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: Self.fastOpen)
        defer { Task { await tunnel.close() } }
        let stream = try await tunnel.openStream(port: 8080)
        #expect(try await PFLib.readToEnd(stream) == Array("pong".utf8))
    }

    @Test func theStreamHeadersAreThoseKubectlSends() async throws {
        let seen = Mutex<[SPDYFrame]>([])
        let (server, client) = try Self.spdyServer { frame, reply in
            seen.withLock { $0.append(frame) }
            if case .synStream(let id, _, _, _, _, _) = frame {
                await reply(.synReply(streamID: id, flags: [], headers: SPDYHeaders()))
            }
        }
        defer { server.shutdown() }
        let tunnel = try await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: Self.fastOpen)
        defer { Task { await tunnel.close() } }
        let first = try await tunnel.openStream(port: 8080)
        let second = try await tunnel.openStream(port: 443)
        #expect(first.requestID == 0)
        #expect(second.requestID == 1)
        try await first.shutdownWrite()
        try await first.shutdownWrite() // idempotent: one FIN
        let syn = { (id: UInt32, type: String, port: String, request: String) -> SPDYFrame in
            .synStream(streamID: id, associatedStreamID: 0, priority: 0, slot: 0, flags: [],
                       headers: ["streamtype": .init(type), "port": .init(port), "requestid": .init(request)])
        }
        try await SimHarnessWait.until("the FIN to arrive") { seen.withLock { $0.count } >= 7 }
        let frames = seen.withLock { $0 }
        #expect(frames == [
            syn(1, "error", "8080", "0"), .data(streamID: 1, flags: .fin, payload: []), syn(3, "data", "8080", "0"),
            syn(5, "error", "443", "1"), .data(streamID: 5, flags: .fin, payload: []), syn(7, "data", "443", "1"),
            .data(streamID: 3, flags: .fin, payload: []),
        ], "\(frames)")
    }

    @Test func aResetInsteadOfSynReplyFailsTheOpen() async throws {
        let (server, client) = try Self.spdyServer { frame, reply in
            if case .synStream(let id, _, _, _, _, _) = frame {
                await reply(.rstStream(streamID: id, status: .refusedStream))
            }
        }
        defer { server.shutdown() }
        let tunnel = try await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: Self.fastOpen)
        defer { Task { await tunnel.close() } }
        let error = await #expect(throws: PortForwardError.self) { _ = try await tunnel.openStream(port: 80) }
        guard case .streamReset(let port, let status)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(port == 80)
        #expect(status.contains("REFUSED_STREAM"))
        #expect(tunnel.activeStreams == 0)
    }

    @Test func noSynReplyWithinTheOpenTimeoutFailsTheOpen() async throws {
        let (server, client) = try Self.spdyServer { _, _ in }
        defer { server.shutdown() }
        var options = PortForwardOptions()
        options.openTimeout = .seconds(2)
        // The upgrade shares the timeout: on a loaded machine it may need another try.
        var opened: PortForwardTunnel?
        for _ in 0..<10 where opened == nil {
            opened = try? await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: options)
        }
        let tunnel = try #require(opened)
        defer { Task { await tunnel.close() } }
        await #expect(throws: TimeoutError.self) { _ = try await tunnel.openStream(port: 80) }
        #expect(tunnel.activeStreams == 0)
        #expect(!tunnel.isClosed)
    }

    @Test func aRemoteResetAndGoAwayAreReported() async throws {
        let (server, client) = try Self.spdyServer { frame, reply in
            guard case .synStream(let id, _, _, _, _, let headers) = frame else { return }
            await reply(.synReply(streamID: id, flags: [], headers: SPDYHeaders()))
            if headers["streamtype"] == "data" {
                await reply(.data(streamID: id, flags: [], payload: [7]))
                await reply(.rstStream(streamID: id, status: .internalError))
                await reply(.goAway(lastGoodStreamID: id, status: .ok))
            }
        }
        defer { server.shutdown() }
        let tunnel = try await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: Self.fastOpen)
        let stream = try await tunnel.openStream(port: 80)
        #expect(try await stream.read(maxBytes: 10) == [7])
        let error = await #expect(throws: PortForwardError.self) { _ = try await stream.read(maxBytes: 10) }
        guard case .streamReset(80, let status)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(status.contains("INTERNAL_ERROR"))
        let writing = await #expect(throws: PortForwardError.self) { try await stream.write([1]) }
        guard case .streamReset(80, _)? = writing else { Issue.record("got \(String(describing: writing))"); return }
        // After GOAWAY: no new streams, and with none left the tunnel closes itself.
        await #expect(throws: PortForwardError.self) { _ = try await tunnel.openStream(port: 80) }
        stream.close()
        try await withTimeout(.seconds(30), "the drained tunnel to close") { await tunnel.closed() }
        #expect(tunnel.isClosed)
    }

    @Test func aTextMessageInTheTunnelIsAProtocolViolation() async throws {
        let (server, client) = try Self.scripted(subprotocols: [KubernetesChannelProtocol.portForwardTunnel.rawValue]) { socket in
            try? await socket.send(text: "not SPDY")
            _ = try? await socket.receive()
        }
        defer { server.shutdown() }
        let tunnel = try await client.openPortForwardTunnel(namespace: "ns", pod: "p", options: Self.fastOpen)
        try await withTimeout(.seconds(30), "the tunnel to fail") { await tunnel.closed() }
        let error = await #expect(throws: PortForwardError.self) { _ = try await tunnel.openStream(port: 80) }
        guard case .protocolViolation? = error else { Issue.record("got \(String(describing: error))"); return }
    }
}

/// Polling for conditions the scripted servers reach asynchronously.
enum SimHarnessWait {
    static func until(_ what: String, timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { throw KlientError.invalidArgument("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
