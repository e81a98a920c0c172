// klient-demo: the foundation modules at work, on loopback, in this one process.
//
// klientd, klientctl and the Klient library do not exist yet, so this shows
// what does: certificates made with OpenSSL, an HTTPS + WebSocket
// server, a pooled HTTPS client with session resumption, verification errors,
// Kubernetes channel framing over WebSocket, and no thread per connection.
// Every number printed is measured here and now.
import Foundation
import KlientHTTP
import KlientIO
import KlientTLS
import KlientWire

struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw DemoFailure(description: message()) }
}

func step(_ number: Int, _ title: String) { print("\n\(number). \(title)") }
func say(_ text: String) { print("   " + text) }

func milliseconds(since start: ContinuousClock.Instant) -> String {
    let (seconds, attoseconds) = (ContinuousClock.now - start).components
    return String(format: "%.1f ms", Double(seconds) * 1e3 + Double(attoseconds) / 1e15)
}

let channelProtocols = KubernetesChannelProtocol.execOffer.map(\.rawValue) // v5, then v4

#if DEBUG
let buildKind = "debug build"
#else
let buildKind = "release build"
#endif

// MARK: 1. Certificates

struct PKI {
    let ca: CertificateAuthority
    let serverTLS: TLSContext
    let clientTLS: TLSContext
}

func makePKI() throws -> PKI {
    step(1, "Certificates, made with the OpenSSL API (no openssl command)")
    let start = ContinuousClock.now
    let ca = try CertificateAuthority.create(commonName: "klient-demo CA")
    let server = try ca.issueServerCertificate(commonName: "localhost", dnsNames: ["localhost"],
                                               ipAddresses: ["127.0.0.1"])
    say("CA \"klient-demo CA\" and a server certificate for localhost + 127.0.0.1 (ECDSA P-256) in \(milliseconds(since: start))")
    return PKI(ca: ca,
               serverTLS: try TLSContext(configuration: .server(identity: server.identity)),
               clientTLS: try TLSContext(configuration: .client(trustRoots: .pem(ca.certificatePEM))))
}

// MARK: 2. Server

/// `/hello` answers with the TLS facts the server saw; `/ws` is a WebSocket
/// echo speaking v5/v4.channel.k8s.io.
func startServer(_ tls: TLSContext) throws -> HTTPServer {
    step(2, "HTTPS + WebSocket server (KlientHTTP.HTTPServer over TLSStream)")
    let server = try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0"), tls: tls) { request in
        switch request.path {
        case "/hello":
            let tls = request.tls
            return .text(200, "\(tls?.protocolVersion ?? "-")|\(tls?.cipherSuite ?? "-")|"
                         + "\(tls?.alpnProtocol ?? "none")|\(tls?.sessionResumed == true ? "yes" : "no")")
        case "/ws":
            return WebSocketServer.upgrade(request, supportedSubprotocols: channelProtocols) { socket in
                while let message = try? await socket.receive() {
                    switch message {
                    case .text(let text): try? await socket.send(text: text)
                    case .binary(let bytes): try? await socket.send(binary: bytes)
                    default: break
                    }
                }
            }
        default:
            return .text(404, "not found\n")
        }
    }
    say("listening on \(server.url) (port 0 picked a free port)")
    return server
}

// MARK: 3. HTTPS client

func get(_ client: HTTPClient, _ endpoint: HTTPEndpoint, _ target: String) async throws -> String {
    let response = try await client.execute(HTTPClientRequest(target: target), on: endpoint)
    try check(response.status == 200, "GET \(target) answered \(response.status)")
    return String(decoding: response.body, as: UTF8.self)
}

/// Prints what the server saw of one TLS handshake ("version|cipher|alpn|resumed").
func describeHandshake(_ facts: String) {
    let part = facts.split(separator: "|").map(String.init)
    say("the server saw: \(part[0]), cipher \(part[1]), ALPN \(part[2]), session resumed: \(part[3])")
}

func httpsRequests(_ client: HTTPClient, _ endpoint: HTTPEndpoint, server: HTTPServer) async throws {
    step(3, "Verified HTTPS GETs with HTTPClient (keep-alive pool, TLS session resumption)")
    let start = ContinuousClock.now
    describeHandshake(try await get(client, endpoint, "/hello"))
    for _ in 2...20 { _ = try await get(client, endpoint, "/hello") }
    var stats = client.statistics
    say("20 requests in \(milliseconds(since: start)): \(stats.connectionsOpened) connection opened, "
        + "\(stats.tlsHandshakes) TLS handshake, server has \(server.openConnectionCount) open connection")
    try check(stats.requests == 20 && stats.connectionsOpened == 1, "expected 20 requests on 1 connection, got \(stats)")

    client.closeIdleConnections()
    let facts = try await get(client, endpoint, "/hello")
    stats = client.statistics
    say("closed idle connections; the next request opened connection #\(stats.connectionsOpened), "
        + "TLS resumptions so far: \(stats.tlsResumptions)")
    describeHandshake(facts)
    try check(stats.tlsResumptions == 1 && facts.hasSuffix("|yes"), "the new connection did not resume the TLS session")
}

// MARK: 4. Verification failures

func expectTLSFailure(_ title: String, url: String, tls: TLSContext) async throws {
    say(title)
    do {
        _ = try await get(HTTPClient(), try HTTPEndpoint(url: url, tls: tls), "/hello")
        throw DemoFailure(description: "\(title): the connection succeeded but must not")
    } catch let error as TLSError {
        say("  → TLSError .\(error.kind): \(error.message)")
    }
}

func verificationFailures(_ pki: PKI, url: String) async throws {
    step(4, "Verification failing clearly")
    let wrongName = try TLSContext(configuration: .client(trustRoots: .pem(pki.ca.certificatePEM),
                                                          serverName: "api.example.com"))
    try await expectTLSFailure("connecting as api.example.com (a name not in the certificate):",
                               url: url, tls: wrongName)
    let otherCA = try CertificateAuthority.create(commonName: "some other CA")
    let wrongCA = try TLSContext(configuration: .client(trustRoots: .pem(otherCA.certificatePEM)))
    try await expectTLSFailure("trusting only \"some other CA\":", url: url, tls: wrongCA)
}

// MARK: 5. WebSocket with Kubernetes channel framing

func send(_ message: KubernetesChannelMessage, on socket: WebSocket, as proto: KubernetesChannelProtocol) async throws {
    let (opcode, payload) = message.encode(for: proto)
    if opcode == .text { try await socket.send(text: String(decoding: payload, as: UTF8.self)) }
    else { try await socket.send(binary: payload) }
    say("sent \(payload.count) bytes: " + payload.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ") + " …")
}

func receiveBytes(_ socket: WebSocket) async throws -> [UInt8] {
    switch try await socket.receive() {
    case .binary(let bytes): return bytes
    case .text(let text): return Array(text.utf8)
    case let other: throw DemoFailure(description: "expected a data message, got \(String(describing: other))")
    }
}

/// 16 MiB of pseudo-random bytes (xorshift, 8 bytes at a time).
func pseudoRandomBytes(count: Int) -> [UInt8] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        let words = UnsafeMutableRawBufferPointer(buffer).bindMemory(to: UInt64.self)
        for i in words.indices {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            words[i] = state
        }
        initialized = count
    }
}

func webSocketDemo(_ client: HTTPClient, _ endpoint: HTTPEndpoint) async throws {
    step(5, "WebSocket over TLS with Kubernetes channel framing")
    let socket = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/ws",
                                                   subprotocols: channelProtocols, requireSubprotocol: true)
    guard let chosen = socket.subprotocol, let proto = KubernetesChannelProtocol(rawValue: chosen) else {
        throw DemoFailure(description: "no channel subprotocol negotiated")
    }
    say("offered \(channelProtocols.joined(separator: ", ")); server chose \(chosen)")

    let text = "hello from channel 1\n"
    try await send(.data(channel: KubernetesChannelID.stdout.rawValue, payload: Array(text.utf8)), on: socket, as: proto)
    let echo = try await receiveBytes(socket)
    guard case .data(let channel, let payload)? = try KubernetesChannelMessage.decode(echo, protocol: proto) else {
        throw DemoFailure(description: "the echo did not decode as channel data")
    }
    say("echo decoded: channel \(KubernetesChannelID(channel)), \(String(decoding: payload, as: UTF8.self).debugDescription)")
    try check(channel == 1 && payload == Array(text.utf8), "the channel message came back changed")

    let big = pseudoRandomBytes(count: 16 * 1024 * 1024)
    let start = ContinuousClock.now
    try await socket.send(binary: big)
    let echoed = try await receiveBytes(socket)
    let elapsed = milliseconds(since: start)
    let intact = echoed.count == big.count
        && big.withUnsafeBytes { a in echoed.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    say("16 MiB binary message echoed back in \(elapsed) (\(buildKind), both ends in this process); "
        + "byte for byte intact: \(intact ? "yes" : "NO")")
    try check(intact, "the 16 MiB message came back changed")
    await socket.close()
    guard case .peerClosed(let code, _)? = socket.closeReason else {
        throw DemoFailure(description: "the close handshake did not complete: \(String(describing: socket.closeReason))")
    }
    say("closing handshake done: the server answered Close \(code.map { "\($0)" } ?? "without a code")")
}

// MARK: 6. Many connections, few threads

func manyConnections(_ client: HTTPClient, _ endpoint: HTTPEndpoint, count: Int) async throws {
    step(6, "\(count) WebSocket-over-TLS connections, no thread per connection")
    try ProcessStats.raiseFileDescriptorLimit()
    let before = try ProcessStats.threadCount()
    let start = ContinuousClock.now
    var sockets: [WebSocket] = []
    for _ in 0..<count {
        sockets.append(try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/ws",
                                                         subprotocols: channelProtocols))
    }
    for socket in sockets { try await socket.send(text: "ping") } // every connection live, both ways
    for socket in sockets { try check(try await socket.receive() == .text("ping"), "a connection did not echo") }
    let after = try ProcessStats.threadCount()
    say("opened and exercised \(count) connections in \(milliseconds(since: start)) (\(2 * count) TLS endpoints in this process)")
    say("process threads before: \(before); with \(count) connections open: \(after) "
        + "(\(ProcessInfo.processInfo.activeProcessorCount) cores; one reactor thread serves every socket)")
    say("open file descriptors: \(try ProcessStats.openFileDescriptorCount())")
    await withTaskGroup(of: Void.self) { group in
        for socket in sockets { group.addTask { await socket.close() } }
    }
}

// MARK: 7. Where things stand

func closingNote() {
    step(7, "Where klient stands")
    say("exists:  KlientWire  codecs: HTTP/1.1, WebSocket, Kubernetes channels, SPDY/3.1, JSON lines")
    say("         KlientIO    sockets, epoll reactor, timers, signals")
    say("         KlientTLS   OpenSSL TLS, CA and certificate generation")
    say("         KlientHTTP  HTTP client with pool, HTTP server, WebSocket client and server")
    say("         (steps 1-6 used all four; the SPDY and JSON-lines codecs are exercised by make test)")
    say("         klient-sim  a local Kubernetes API simulator kubectl works against:")
    say("                     .build/debug/klient-sim serve --kubeconfig-out /tmp/kc, then kubectl --kubeconfig /tmp/kc ...")
    say("not yet: the Klient library (kubeconfig, auth, REST, exec, port-forward), klientd and")
    say("         klientctl. Nothing above talked to Kubernetes.")
    say("more:    make test (every test suite), make bench (release-build benchmarks)")
}

// MARK: Main

func runDemo() async throws {
    print("klient-demo: the klient foundation on loopback (127.0.0.1), all in this process")
    let pki = try makePKI()
    let server = try startServer(pki.serverTLS)
    defer { server.shutdown() }
    let client = HTTPClient()
    let endpoint = try HTTPEndpoint(url: server.url, tls: pki.clientTLS)
    try await httpsRequests(client, endpoint, server: server)
    try await verificationFailures(pki, url: server.url)
    try await webSocketDemo(client, endpoint)
    try await manyConnections(client, endpoint, count: 200)
    closingNote()
}

do {
    try await withTimeout(.seconds(300), "the demo") { try await runDemo() }
    print("\nklient-demo: all steps succeeded")
} catch {
    FileHandle.standardError.write(Data("\nklient-demo: FAILED: \(error)\n".utf8))
    exit(1)
}
