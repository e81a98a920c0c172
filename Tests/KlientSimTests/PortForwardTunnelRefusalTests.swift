import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTestSupport
import KlientWire
import Testing

/// The sim refusing the KEP-4006 port-forward tunnel as an API server before
/// 1.31 does (`StreamFaults.portForwardTunnelEnabled`, the
/// `portforward-tunnel` fault, `serve --no-portforward-tunnel`), so that a
/// client's "auto" mode can be seen falling back to channel mode.
@Suite struct PortForwardTunnelRefusalTests {
    static let tunnel = "SPDY/3.1+portforward.k8s.io"

    /// A WebSocket upgrade written by hand; returns the status line, the head
    /// lines and (for a non-101) the body.
    static func rawUpgrade(_ server: HTTPServer, query: String = "", protocols: [String])
        async throws -> (status: String, head: [String], body: [UInt8]) {
        let socket = try await Socket.connect(to: server.localAddress)
        defer { socket.close() }
        var request = "GET \(PFTest.portForwardPath)\(query) HTTP/1.1\r\nHost: \(server.localAddress)\r\n"
        request += "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        if !protocols.isEmpty { request += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        request += "\r\n"
        try await socket.write(Array(request.utf8))
        var received: [UInt8] = []
        while received.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            let bytes = try await socket.read(maxBytes: 64 * 1024)
            if bytes.isEmpty { break }
            received += bytes
        }
        guard let end = received.firstRange(of: Array("\r\n\r\n".utf8)) else { return ("", [], received) }
        let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard head.first?.contains(" 101 ") != true else { return (head[0], head, []) }
        let length = head.lazy.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        var body = Array(received[end.upperBound...])
        while body.count < length, let more = try? await socket.read(maxBytes: 64 * 1024), !more.isEmpty { body += more }
        return (head[0], head, body)
    }

    private func channel(_ server: HTTPServer, query: String, protocols: [String]) async throws -> WebSocket {
        try await WebSocketClient.connect(client: HTTPClient(), endpoint: try HTTPEndpoint(url: server.url),
                                          target: PFTest.portForwardPath + query, subprotocols: protocols)
    }

    /// Sends `bytes` on channel 0 and reads them back after the two port prefixes.
    private func echoThroughChannels(_ socket: WebSocket, _ bytes: [UInt8]) async throws -> [UInt8] {
        try await socket.send(binary: [0] + bytes)
        var prefixes = Set<UInt8>()
        var data: [UInt8] = []
        while data.count < bytes.count, let message = try await socket.receive() {
            guard case .binary(let frame) = message, let channel = frame.first else { continue }
            if prefixes.insert(channel).inserted { continue }
            if channel == 0 { data += frame.dropFirst() }
        }
        return data
    }

    @Test func refusedTunnelGetsBadRequestAndChannelModeStillWorks() async throws {
        let target = try TCPTestTarget(.echo)
        let faults = StreamFaults()
        faults.portForwardTunnelEnabled = false
        let server = try PFTest.server(pod: PFTest.pod([8080: target.address]), faults: faults)
        defer { server.shutdown() }

        // What a ≥ 1.31 client sends for a tunnel: no ports, only the tunnel protocol.
        let refused = try await Self.rawUpgrade(server, protocols: [Self.tunnel])
        #expect(refused.status.hasPrefix("HTTP/1.1 400"), "\(refused.head)")
        let status = try JSONValue.parse(refused.body)
        #expect(status["kind"] == "Status" && status["code"] == 400 && status["reason"] == "BadRequest", "\(status)")
        #expect(status["message"] == "query parameter \"ports\" is required")

        // Through the WebSocket client, as klient's "auto" mode sees it.
        do {
            _ = try await channel(server, query: "", protocols: [Self.tunnel])
            Issue.record("the tunnel upgrade succeeded while disabled")
        } catch let error as WebSocketHandshakeError {
            guard case .notSwitchingProtocols(let code, _, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(code == 400)
        }

        // With ports but only the tunnel protocol offered: no protocol in common.
        let unsupported = try await Self.rawUpgrade(server, query: "?ports=8080", protocols: [Self.tunnel])
        #expect(unsupported.status.hasPrefix("HTTP/1.1 400"))
        #expect(try JSONValue.parse(unsupported.body)["message"]?.stringValue?.contains("are not supported") == true)

        // Offering both, an old server picks channel mode.
        let both = try await channel(server, query: "?ports=8080", protocols: [Self.tunnel, "v4.channel.k8s.io"])
        #expect(both.subprotocol == "v4.channel.k8s.io")
        #expect(try await echoThroughChannels(both, Array("both".utf8)) == Array("both".utf8))
        await both.close()

        // Channel mode as such is untouched.
        let socket = try await channel(server, query: "?ports=8080", protocols: ["v4.channel.k8s.io"])
        #expect(try await echoThroughChannels(socket, Array("hello".utf8)) == Array("hello".utf8))
        await socket.close()

        // So is SPDY/3.1 (kubectl before 1.31).
        let spdy = try await PortForwardTestSPDYClient.upgrade(to: server.localAddress)
        #expect(spdy.head.first?.hasPrefix("HTTP/1.1 101") == true)
        spdy.client?.close()
    }

    @Test func enablingTheTunnelAgainServesIt() async throws {
        let target = try TCPTestTarget(.echo)
        let faults = StreamFaults()
        #expect(faults.portForwardTunnelEnabled, "enabled by default")
        let server = try PFTest.server(pod: PFTest.pod([8080: target.address]), faults: faults)
        defer { server.shutdown() }
        faults.portForwardTunnelEnabled = false
        #expect(try await Self.rawUpgrade(server, protocols: [Self.tunnel]).status.hasPrefix("HTTP/1.1 400"))

        faults.portForwardTunnelEnabled = true
        let accepted = try await Self.rawUpgrade(server, protocols: [Self.tunnel])
        #expect(accepted.status.hasPrefix("HTTP/1.1 101"), "\(accepted.head)")
        #expect(accepted.head.contains { $0.lowercased() == "sec-websocket-protocol: spdy/3.1+portforward.k8s.io" })

        let socket = try await channel(server, query: "", protocols: [Self.tunnel])
        #expect(socket.subprotocol == Self.tunnel)
        let client = PortForwardTestSPDYClient(transport: WebSocketByteStream(socket))
        defer { client.close() }
        let (_, data) = try await client.openPortForward(port: 8080, requestID: 0)
        try await client.sendAll(data, Array("tunnel".utf8))
        #expect(try await client.readAll(data, expected: 6) == Array("tunnel".utf8))
    }

    @Test func faultOverHTTP() async throws {
        let t = try APITestCluster()
        #expect(t.cluster.faults.portForwardTunnelEnabled)
        let off = try await t.request(.POST, "/klient-sim/faults/portforward-tunnel?enabled=false")
        #expect(off.status == 200)
        #expect(off.json == ["fault": "portforward-tunnel", "enabled": false])
        #expect(!t.cluster.faults.portForwardTunnelEnabled)
        #expect(try await t.request(.GET, "/klient-sim/faults").json["portForwardTunnel"] == false)
        #expect(try await t.request(.POST, "/klient-sim/faults/portforward-tunnel").status == 400)
        #expect(try await t.request(.POST, "/klient-sim/faults/portforward-tunnel?enabled=no").status == 400)
        #expect(try await t.request(.POST, "/klient-sim/faults/portforward-tunnel?enabled=true", token: t.readonlyToken).status == 403)
        #expect(try await t.request(.POST, "/klient-sim/faults/portforward-tunnel?enabled=true").json["enabled"] == true)
        #expect(t.cluster.faults.portForwardTunnelEnabled)
        #expect(try await t.request(.GET, "/klient-sim/faults").json["portForwardTunnel"] == true)
    }

    /// `klient-sim serve --no-portforward-tunnel`, then `klient-sim fault portforward-tunnel enabled=true`.
    @Test func serveFlagAndFaultCommand() async throws {
        let sim = try await SimServeProcess(extraArguments: ["--no-portforward-tunnel"])
        let (listed, before) = try await sim.fault(["list"])
        #expect(listed == 0)
        #expect(before.contains("\"portForwardTunnel\":false"), "\(before)")
        let (set, answer) = try await sim.fault(["portforward-tunnel", "enabled=true"])
        #expect(set == 0)
        #expect(answer.contains("\"enabled\":true"), "\(answer)")
        #expect(try await sim.fault(["list"]).1.contains("\"portForwardTunnel\":true"))
        #expect(try await sim.fault(["portforward-tunnel", "enabled=maybe"]).0 == 1)
        #expect(try await sim.stop() == 0)
    }
}
