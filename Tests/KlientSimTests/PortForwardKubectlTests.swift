import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTestSupport
import KlientWire
import Synchronization
import Testing

/// Unmodified kubectl against the handler: 1.27 speaks SPDY/3.1, 1.33 the
/// KEP-4006 WebSocket tunnel. The test server fakes only the API reads
/// `kubectl port-forward` makes before it upgrades (discovery, GET pod).
@Suite(.serialized) struct PortForwardKubectlTests {
    /// The directory holding `kubectl.1.27` … beside the real `kubectl`.
    static let kubectlDirectory: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/kubectl"
            guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
            return URL(fileURLWithPath: candidate).resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        return nil
    }()

    static func kubectl(_ version: String) -> String? {
        guard let dir = kubectlDirectory else { return nil }
        let path = "\(dir)/kubectl.\(version)"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// A temporary HOME with a kubeconfig for `server` (token auth, the test CA).
    private func kubeconfig(for server: HTTPServer) throws -> (home: String, path: String) {
        let home = NSTemporaryDirectory() + "klient-pf-kubectl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let caPath = home + "/ca.crt"
        try Data(TestPKI.shared.ca.certificatePEM).write(to: URL(fileURLWithPath: caPath))
        let config = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sim
          cluster:
            server: \(server.url)
            certificate-authority: \(caPath)
            insecure-skip-tls-verify: false
        users:
        - name: admin
          user:
            token: port-forward-test-token
        contexts:
        - name: sim
          context:
            cluster: sim
            user: admin
            namespace: \(PFTest.namespace)
        current-context: sim

        """
        let path = home + "/kubeconfig"
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        return (home, path)
    }

    /// Starts `kubectl port-forward pod/NAME 0:remotePort`; returns the process and the local port.
    private func portForward(_ kubectl: String, server: HTTPServer, remotePort: UInt16) async throws
        -> (TestProcess, UInt16) {
        let (home, path) = try kubeconfig(for: server)
        let process = try TestProcess(kubectl, ["--kubeconfig", path, "--cache-dir", home + "/cache",
                                                "port-forward", "pod/\(PFTest.podName)", "0:\(remotePort)"],
                                      environment: ["HOME": home])
        let line = try await process.waitForLine(startingWith: "Forwarding from 127.0.0.1:", timeout: .seconds(60))
        // "Forwarding from 127.0.0.1:NNNN -> P"
        let parts = line.dropFirst("Forwarding from 127.0.0.1:".count).split(separator: " ")
        let local = try #require(parts.first.flatMap { UInt16($0) }, "cannot parse \(line)")
        #expect(parts.last == Substring(String(remotePort)))
        return (process, local)
    }

    private func connectLocal(_ port: UInt16) async throws -> Socket {
        try await Socket.connect(to: .ipv4("127.0.0.1", port: port), deadline: .now + .seconds(10))
    }

    @Test(.serialized, arguments: [("1.27", "SPDY/3.1"), ("1.33", "SPDY/3.1+portforward.k8s.io")])
    func kubectlPortForward64MiBBothWays(version: String, transport: String) async throws {
        guard let kubectl = Self.kubectl(version) else {
            Issue.record("kubectl.\(version) not found beside kubectl; cannot run the real-client test")
            return
        }
        let echo = try TCPTestTarget(.echo)
        let sink = try TCPTestTarget(.countAfterEOF)
        let source = try TCPTestTarget(.source(count: 256 << 20))
        let seen = Mutex<[String]>([])
        let server = try PFTest.server(
            pod: PFTest.pod([8080: echo.address, 9000: sink.address, 9001: source.address]),
            tls: try TestPKI.shared.serverContext(),
            observe: { request in
                guard request.path.hasSuffix("/portforward") else { return }
                let upgrade = request.headers.values(for: "Sec-WebSocket-Protocol").joined(separator: ",")
                seen.withLock { $0.append(upgrade.isEmpty ? request.headers["Upgrade"] ?? "none" : upgrade) }
            })
        defer { server.shutdown() }

        let (process, local) = try await portForward(kubectl, server: server, remotePort: 8080)
        defer { process.terminate() }
        do {
            // 64 MiB out and back through kubectl's local port, byte-exact.
            let payload = TestBytes.pattern(count: 64 << 20, seed: 64)
            let socket = try await connectLocal(local)
            defer { socket.close() }
            async let sent: Void = TestBytes.writeAll(socket, payload)
            let echoed = try await TestBytes.readAll(socket, expected: payload.count)
            try await sent
            #expect(TestBytes.same(echoed, payload), "kubectl \(version): echoed \(echoed.count) of \(payload.count) bytes")
            #expect(echo.connections.load() == 1)
            #expect(!seen.withLock { $0 }.isEmpty && seen.withLock { $0 }.allSatisfy { $0.contains(transport) }, "transports used: \(seen.withLock { $0 })")
        } catch {
            Issue.record("kubectl \(version) port-forward failed: \(error)\nkubectl output:\n\(process.transcript)")
            throw error
        }
    }

    /// Throughput of a port-forward through real kubectl to a local sink and
    /// from a local source (printed; no timing assertion).
    @Test(.serialized, arguments: [("1.27", "SPDY"), ("1.33", "tunnel")])
    func kubectlPortForwardThroughput(version: String, mode: String) async throws {
        guard let kubectl = Self.kubectl(version) else {
            Issue.record("kubectl.\(version) not found beside kubectl")
            return
        }
        // KLIENT_PF_MIB overrides the size (MiB each way).
        let total = (Int(ProcessInfo.processInfo.environment["KLIENT_PF_MIB"] ?? "") ?? 256) << 20
        let sink = try TCPTestTarget(.countAfterEOF)
        let source = try TCPTestTarget(.source(count: total))
        let server = try PFTest.server(pod: PFTest.pod([9000: sink.address, 9001: source.address]),
                                       tls: try TestPKI.shared.serverContext())
        defer { server.shutdown() }

        let (up, upPort) = try await portForward(kubectl, server: server, remotePort: 9000)
        defer { up.terminate() }
        let chunk = TestBytes.pattern(count: 1 << 20, seed: 9)
        let upSocket = try await connectLocal(upPort)
        defer { upSocket.close() }
        var start = ContinuousClock.now
        for _ in 0..<(total / chunk.count) { try await upSocket.write(chunk) }
        try await upSocket.shutdownWrite()
        let count = String(decoding: try await TestBytes.readAll(upSocket), as: UTF8.self)
        let upSeconds = (ContinuousClock.now - start) / .seconds(1)
        #expect(count == "\(total)\n")

        let (down, downPort) = try await portForward(kubectl, server: server, remotePort: 9001)
        defer { down.terminate() }
        let downSocket = try await connectLocal(downPort)
        defer { downSocket.close() }
        start = ContinuousClock.now
        var received = 0
        let counter = Mutex(0)
        do {
            try await withTimeout(.seconds(120), "reading from the source") {
                // Timed to the last byte: the EOF follows the server's grace period.
                while counter.withLock({ $0 }) < total {
                    let n = try await downSocket.read(maxBytes: 1 << 20).count
                    if n == 0 { break }
                    counter.withLock { $0 += n }
                }
            }
        } catch {
            Issue.record("kubectl \(version): \(error) after \(counter.withLock { $0 }) bytes; kubectl output:\n\(down.transcript)")
        }
        received = counter.withLock { $0 }
        let downSeconds = (ContinuousClock.now - start) / .seconds(1)
        #expect(try await downSocket.read(maxBytes: 16).isEmpty, "EOF after the source's bytes")
        #expect(received == total)
        let mb = Double(total) / 1_000_000
        print("port-forward throughput, kubectl \(version) (\(mode)): client→pod \(Int(mb / upSeconds)) MB/s, "
              + "pod→client \(Int(mb / downSeconds)) MB/s (\(total >> 20) MiB each way)")
    }
}
