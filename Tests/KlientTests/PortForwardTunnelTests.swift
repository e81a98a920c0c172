import Foundation
import Klient
import KlientHTTP
import KlientIO
import KlientTestSupport
import KlientWire
import Testing

/// Tunnel-mode port-forward (SPDY/3.1 inside a WebSocket, KEP-4006) against an in-process klient-sim.
@Suite("Port-forward tunnel against klient-sim")
struct PortForwardTunnelTests {
    /// A sim with a pod `name` whose port 80 is an echo server.
    func echoSetup(_ name: String) async throws -> (SimHarness, TCPTestTarget, KubernetesClient) {
        let sim = try await SimHarness(portForward: true)
        let echo = try TCPTestTarget(.echo)
        let client = try sim.client()
        try await PFLib.createPod(client, name, [80: echo.address])
        return (sim, echo, client)
    }

    @Test func sixteenMebibytesBothWaysAreByteExact() async throws {
        let (sim, echo, client) = try await echoSetup("echo")
        defer { echo.close(); Task { await sim.shutdown() } }
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "echo", options: PFLib.patient)
        let stream = try await tunnel.openStream(port: 80)
        #expect(stream.port == 80)
        #expect(tunnel.activeStreams == 1)
        let payload = PFLib.pattern(count: 16 << 20, seed: 2)
        let back = try await PFLib.roundTrip(stream, payload)
        #expect(back.count == payload.count)
        #expect(PFLib.same(back, payload))
        stream.close()
        #expect(tunnel.activeStreams == 0)
        await tunnel.close()
        #expect(tunnel.isClosed)
    }

    @Test func fiftyConcurrentStreamsOnOneTunnelAreByteExact() async throws {
        let (sim, echo, client) = try await echoSetup("many")
        defer { echo.close(); Task { await sim.shutdown() } }
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "many", options: PFLib.patient)
        let results = try await withThrowingTaskGroup(of: (Int, Bool, Int).self) { group in
            for i in 0..<50 {
                group.addTask {
                    let stream = try await tunnel.openStream(port: 80)
                    defer { stream.close() }
                    let payload = PFLib.pattern(count: 200_000 + i * 1_000, seed: UInt64(100 + i))
                    let back = try await PFLib.roundTrip(stream, payload)
                    return (i, PFLib.same(back, payload), stream.requestID)
                }
            }
            var all: [(Int, Bool, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0.1 }, "streams with wrong bytes: \(results.filter { !$0.1 }.map(\.0))")
        #expect(Set(results.map(\.2)) == Set(0..<50)) // one shared requestid counter from 0
        await tunnel.close()
    }

    @Test func halfCloseStillDeliversTheAnswerThenEOF() async throws {
        let (sim, echo, client) = try await echoSetup("half")
        defer { echo.close(); Task { await sim.shutdown() } }
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "half", options: PFLib.patient)
        defer { Task { await tunnel.close() } }
        let stream = try await tunnel.openStream(port: 80)
        defer { stream.close() }
        let request = PFLib.pattern(count: 300_000, seed: 3)
        try await PFLib.writeAll(stream, request)
        try await stream.shutdownWrite()
        // The echo server sees EOF only through the FIN, answers everything, then half-closes.
        let answer = try await PFLib.readToEnd(stream)
        #expect(PFLib.same(answer, request))
        #expect(try await stream.read(maxBytes: 10) == [])
        await #expect(throws: PortForwardError.self) { try await stream.write([1]) }
    }

    @Test func aRefusedPodPortIsReportedFromTheErrorStream() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await PFLib.createPod(client, "refuses", [80: "127.0.0.1:\(try TestBytes.closedPort())"])
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "refuses", options: PFLib.patient)
        defer { Task { await tunnel.close() } }
        let stream = try await tunnel.openStream(port: 80)
        do {
            let bytes = try await stream.read(maxBytes: 1024)
            Issue.record("expected the kubelet's error, got \(bytes.count) bytes")
        } catch let PortForwardError.remote(port, message) {
            #expect(port == 80)
            #expect(message.contains("error forwarding port 80"), "\(message)")
            #expect(message.contains("connection refused"), "\(message)")
        }
        // The tunnel itself survives a failed connection.
        #expect(!tunnel.isClosed)
        _ = try await tunnel.ping()
    }

    @Test func aReadonlyIdentityIsForbiddenAndAnUnknownPodIsNotFound() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        try await PFLib.createPod(try sim.client(), "web", [80: "127.0.0.1:1"])
        let forbidden = await #expect(throws: APIError.self) {
            _ = try await sim.client(.readonly).openPortForwardTunnel(namespace: PFLib.namespace, pod: "web", options: PFLib.patient)
        }
        #expect(forbidden?.reason == .forbidden)
        let missing = await #expect(throws: APIError.self) {
            _ = try await sim.client().openPortForwardTunnel(namespace: PFLib.namespace, pod: "nope", options: PFLib.patient)
        }
        #expect(missing?.reason == .notFound)
    }

    @Test func theTunnelEndsWhenTheServerDropsItsStreams() async throws {
        let (sim, echo, client) = try await echoSetup("drop")
        defer { echo.close(); Task { await sim.shutdown() } }
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "drop", options: PFLib.patient)
        let stream = try await tunnel.openStream(port: 80)
        #expect(try await PFLib.roundTrip(stream, [1, 2, 3]) == [1, 2, 3])
        #expect(!tunnel.isClosed)
        #expect(sim.cluster.faults.dropStreamingConnections() > 0)
        try await withTimeout(.seconds(30), "the tunnel to notice the dropped connection") { await tunnel.closed() }
        #expect(tunnel.isClosed)
        await #expect(throws: PortForwardError.self) { _ = try await stream.read(maxBytes: 10) }
        await #expect(throws: PortForwardError.self) { _ = try await tunnel.openStream(port: 80) }
    }

    @Test func closeResetsStreamsAndEndsTheTunnel() async throws {
        let (sim, echo, client) = try await echoSetup("close")
        defer { echo.close(); Task { await sim.shutdown() } }
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "close", options: PFLib.patient)
        let first = try await tunnel.openStream(port: 80)
        let second = try await tunnel.openStream(port: 80)
        #expect(tunnel.activeStreams == 2)
        #expect(try await PFLib.roundTrip(second, [9]) == [9])
        _ = try await tunnel.ping()
        await tunnel.close()
        #expect(tunnel.isClosed)
        await tunnel.closed()
        let error = await #expect(throws: PortForwardError.self) { _ = try await first.read(maxBytes: 10) }
        if case .closed? = error {} else { Issue.record("expected .closed, got \(String(describing: error))") }
        await #expect(throws: PortForwardError.self) { _ = try await tunnel.ping() }
    }

    @Test func theExecPluginContextCanOpenATunnel() async throws {
        let (sim, echo, _) = try await echoSetup("exec")
        defer { echo.close(); Task { await sim.shutdown() } }
        let tunnel = try await sim.kubeconfigClient(.exec).openPortForwardTunnel(namespace: PFLib.namespace, pod: "exec", options: PFLib.patient)
        defer { Task { await tunnel.close() } }
        let stream = try await tunnel.openStream(port: 80)
        defer { stream.close() }
        #expect(try await PFLib.roundTrip(stream, Array("hi".utf8)) == Array("hi".utf8))
    }

    @Test func aServerThatRefusesTheTunnelMeansTunnelUnsupported() async throws {
        // An API server before 1.31 passes the request to the kubelet, which wants `ports`: 400.
        let server = try HTTPServer.start(on: .ipv4("127.0.0.1", port: 0)) { _ in
            let status: JSONValue = ["kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 400,
                                     "reason": "BadRequest", "message": "query parameter \"ports\" is required"]
            return HTTPServerResponse(status: 400, headers: ["Content-Type": "application/json"], body: status.encoded())
        }
        defer { server.shutdown() }
        var configuration = ClientConfiguration(server: "http://\(server.localAddress)")
        configuration.warnings = .ignore
        let client = try KubernetesClient(configuration: configuration)
        let error = await #expect(throws: PortForwardError.self) {
            _ = try await client.openPortForwardTunnel(namespace: "default", pod: "web", options: PFLib.patient)
        }
        guard case .tunnelUnsupported(let why)? = error else {
            Issue.record("expected tunnelUnsupported, got \(String(describing: error))")
            return
        }
        #expect(why.contains("400"))
    }

    @Test func theLibraryExamplesRunAgainstKlientSim() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let echo = try TCPTestTarget(.echo)
        defer { echo.close() }
        let client = try sim.client()
        _ = try await client.resources(Namespace.self).create(Namespace(metadata: ObjectMeta(name: "shop")))
        try await PFLib.createPod(client, "web-0", [8080: echo.address], namespace: "shop")
        let answer = try await LibraryExamples.portForwardTunnel(client: client)
        #expect(answer == Array("GET / HTTP/1.0\r\n\r\n".utf8)) // the echo server's answer, after the half-close
        try await LibraryExamples.portForwardFallback(client: client)
    }
}
