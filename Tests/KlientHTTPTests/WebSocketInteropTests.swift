import KlientHTTP
import KlientTestSupport
import KlientTLS
import Testing

/// klient's WebSocket client and server against an independent implementation:
/// the Python `websockets` package (Tests/Interop/ws_peer.py, venv from `make test`).
@Suite("WebSocket interop with Python websockets", .enabled(if: TestPython.isAvailable, "no Python venv: run make test"))
struct WebSocketInteropTests {
    @Test(arguments: [false, true])
    func klientClientAgainstPythonServer(tls: Bool) async throws {
        let pki = TestPKI.shared
        let peer = try TestPython.run("ws_peer.py", ["server"] + (tls ? ["--cert", pki.serverCertificatePath,
                                                                          "--key", pki.serverKeyPath] : []))
        defer { peer.terminate() }
        let port = try await peer.waitForLine(startingWith: "LISTENING ").split(separator: " ")[1]
        try await runEchoScript(url: "\(tls ? "wss" : "ws")://localhost:\(port)/ws",
                                tls: tls ? try pki.clientContext() : nil)
        // The Python server reports the close code our client sent.
        let closed = try await peer.waitForLine(startingWith: "CLOSED ")
        #expect(closed == "CLOSED 1000 client-done")
    }

    @Test(arguments: [false, true])
    func pythonClientAgainstKlientServer(tls: Bool) async throws {
        let pki = TestPKI.shared
        let server = try WebSocketEchoServer(tls: tls ? try pki.serverContext() : nil)
        defer { server.shutdown() }
        let url = server.url.replacingPrefix("ws://127.0.0.1", with: "ws://localhost")
            .replacingPrefix("wss://127.0.0.1", with: "wss://localhost") + "/ws"
        let peer = try TestPython.run("ws_peer.py", ["client", url] + (tls ? ["--ca", pki.caPath] : []))
        let status = try await peer.finish()
        #expect(status == 0, "ws_peer.py client failed:\n\(peer.transcript)")
        let steps = peer.transcript.split(separator: "\n").filter { $0.hasPrefix("OK ") }.map { String($0.dropFirst(3)) }
        #expect(steps == ["subprotocol", "text", "binary", "fragmented-send", "1MiB", "16MiB", "ping",
                          "server-ping", "fragmented-recv", "client-close", "server-close"])
        #expect(server.closeReasons.contains(.peerClosed(code: .normalClosure, reason: "client-done")))
    }
}
