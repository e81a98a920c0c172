import Foundation
import Klient
import KlientIO
import KlientTestSupport
import KlientWire
import Testing

/// Channel-mode port-forward (`v4.channel.k8s.io`) against an in-process klient-sim.
@Suite("Port-forward channel mode against klient-sim")
struct PortForwardChannelTests {
    @Test func sixteenMebibytesBothWaysAreByteExact() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let echo = try TCPTestTarget(.echo)
        defer { echo.close() }
        let client = try sim.client()
        try await PFLib.createPod(client, "echo", [80: echo.address])
        let channel = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "echo", port: 80, options: PFLib.patient)
        defer { channel.close() }
        #expect(channel.port == 80)
        let payload = PFLib.pattern(count: 16 << 20, seed: 1)
        let back = try await PFLib.roundTrip(channel, payload)
        #expect(back.count == payload.count)
        #expect(PFLib.same(back, payload))
    }

    @Test func aRefusedPodPortIsReportedFromTheErrorChannel() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await PFLib.createPod(client, "refuses", [80: "127.0.0.1:\(try TestBytes.closedPort())"])
        let channel = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "refuses", port: 80, options: PFLib.patient)
        defer { channel.close() }
        do {
            let bytes = try await channel.read(maxBytes: 1024)
            Issue.record("expected the kubelet's error, got \(bytes.count) bytes")
        } catch let PortForwardError.remote(port, message) {
            #expect(port == 80)
            #expect(message.contains("error forwarding port 80"), "\(message)")
            #expect(message.contains("connection refused"), "\(message)")
        }
    }

    @Test func aReadonlyIdentityIsForbidden() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        try await PFLib.createPod(try sim.client(), "web", [80: "127.0.0.1:1"])
        let error = await #expect(throws: APIError.self) {
            _ = try await sim.client(.readonly).openPortForwardChannel(namespace: PFLib.namespace, pod: "web", port: 80, options: PFLib.patient)
        }
        #expect(error?.reason == .forbidden)
        #expect(error?.message.contains("pods/portforward") == true)
    }

    @Test func anUnknownPodIsNotFound() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let error = await #expect(throws: APIError.self) {
            _ = try await sim.client().openPortForwardChannel(namespace: PFLib.namespace, pod: "nope", port: 80, options: PFLib.patient)
        }
        #expect(error?.reason == .notFound)
    }

    @Test func aBannerSentBeforeTheFirstReadIsKept() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let banner = Array("SSH-2.0-klient-test\r\n".utf8)
        let server = try TCPTestTarget(.bannerThenEcho(banner))
        defer { server.close() }
        let client = try sim.client()
        try await PFLib.createPod(client, "banner", [22: server.address])
        // Like a pooled connection: opened long before anyone reads.
        let channel = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "banner", port: 22, options: PFLib.patient)
        defer { channel.close() }
        _ = try await sim.waitFor("the banner to be written") { server.bannersWritten.load() > 0 ? true : nil }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await PFLib.read(channel, count: banner.count) == banner)
        #expect(try await PFLib.roundTrip(channel, Array("ping".utf8)) == Array("ping".utf8))
    }

    @Test func theChannelEndsWhenTheServerDropsItsStreams() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let echo = try TCPTestTarget(.echo)
        defer { echo.close() }
        let client = try sim.client()
        try await PFLib.createPod(client, "drop", [80: echo.address])
        let channel = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "drop", port: 80, options: PFLib.patient)
        defer { channel.close() }
        #expect(try await PFLib.roundTrip(channel, [1, 2, 3]) == [1, 2, 3])
        #expect(!channel.isClosed)
        #expect(sim.cluster.faults.dropStreamingConnections() > 0)
        try await withTimeout(.seconds(30), "the channel to notice the dropped connection") { await channel.closed() }
        #expect(channel.isClosed)
        await #expect(throws: PortForwardError.self) { _ = try await channel.read(maxBytes: 10) }
    }

    @Test func theExecPluginContextCanOpenAChannel() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let echo = try TCPTestTarget(.echo)
        defer { echo.close() }
        try await PFLib.createPod(try sim.client(), "exec", [80: echo.address])
        let client = try sim.kubeconfigClient(.exec)
        let channel = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "exec", port: 80, options: PFLib.patient)
        defer { channel.close() }
        #expect(try await PFLib.roundTrip(channel, Array("hi".utf8)) == Array("hi".utf8))
    }

    @Test func a401RefreshesTheExecPluginTokenOnceForChannelsAndTunnels() async throws {
        let sim = try await SimHarness(portForward: true)
        defer { Task { await sim.shutdown() } }
        let echo = try TCPTestTarget(.echo)
        defer { echo.close() }
        try await PFLib.createPod(try sim.client(), "refresh", [80: echo.address])
        let plugin = try PFLib.countingPlugin(sim)
        let client = try sim.kubeconfigClient(.exec, plugin: plugin.path)
        let channel = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "refresh", port: 80, options: PFLib.patient)
        #expect(try await PFLib.roundTrip(channel, [1]) == [1])
        channel.close()
        #expect(plugin.runs() == 1)
        try await Task.sleep(for: .milliseconds(5)) // tokens issued in this millisecond would survive the revocation
        sim.cluster.faults.expireTokens() // the cached token now gets 401 on the upgrade
        let tunnel = try await client.openPortForwardTunnel(namespace: PFLib.namespace, pod: "refresh", options: PFLib.patient)
        defer { Task { await tunnel.close() } }
        #expect(plugin.runs() == 2) // one refresh, then the upgrade went through
        let stream = try await tunnel.openStream(port: 80)
        defer { stream.close() }
        #expect(try await PFLib.roundTrip(stream, [2]) == [2])
        let again = try await client.openPortForwardChannel(namespace: PFLib.namespace, pod: "refresh", port: 80, options: PFLib.patient)
        defer { again.close() }
        #expect(plugin.runs() == 2) // the fresh token is cached
    }
}
