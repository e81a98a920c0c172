import KlientHTTP
import KlientIO
import KlientTestSupport
import KlientTLS
import KlientWire
import Synchronization
import Testing

@Suite("HTTP client and server")
struct HTTPClientTests {
    /// A server that answers /echo with the request body, /stream with chunks,
    /// /close with Connection: close, /whoami with the client certificate CN.
    static func startServer(tls: TLSContext? = nil,
                            configuration: HTTPServer.Configuration = HTTPServer.Configuration()) throws -> HTTPServer {
        try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0"), tls: tls, configuration: configuration) { request in
            switch request.path {
            case "/echo":
                return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/octet-stream"],
                                          body: request.body)
            case "/stream":
                return HTTPServerResponse(head: HTTPResponseHead(status: 200), body: .stream { writer in
                    for i in 0..<5 { try await writer.write("line \(i)\n") }
                })
            case "/close":
                return HTTPServerResponse(status: 200, headers: ["Connection": "close"], body: Array("bye".utf8))
            case "/whoami":
                return .text(200, request.tls?.peerCommonName ?? "anonymous")
            default:
                return .text(404, "no such path: \(request.path)")
            }
        }
    }

    @Test func getReusesOneKeepAliveConnection() async throws {
        let server = try Self.startServer()
        defer { server.shutdown() }
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url)
        for i in 0..<20 {
            let response = try await client.execute(
                HTTPClientRequest(method: .POST, target: "/echo", body: Array("body \(i)".utf8)), on: endpoint)
            #expect(response.status == 200)
            #expect(response.body == Array("body \(i)".utf8))
        }
        let stats = client.statistics
        #expect(stats.connectionsOpened == 1)
        #expect(stats.requests == 20)
        #expect(stats.idleConnections == 1)
    }

    @Test func notFoundCarriesStatusAndBody() async throws {
        let server = try Self.startServer()
        defer { server.shutdown() }
        let response = try await HTTPClient().execute(HTTPClientRequest(target: "/nope"), on: try HTTPEndpoint(url: server.url))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self) == "no such path: /nope")
    }

    @Test func streamedChunkedBodyArrivesInOrder() async throws {
        let server = try Self.startServer()
        defer { server.shutdown() }
        let client = HTTPClient()
        let response = try await client.stream(HTTPClientRequest(target: "/stream"), on: try HTTPEndpoint(url: server.url))
        #expect(response.head.headers["Transfer-Encoding"] == "chunked")
        var text = ""
        for try await chunk in response.body { text += String(decoding: chunk, as: UTF8.self) }
        #expect(text == (0..<5).map { "line \($0)\n" }.joined())
        #expect(client.statistics.idleConnections == 1) // returned to the pool after the last chunk
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try Self.startServer()
        defer { server.shutdown() }
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url)
        for _ in 0..<3 {
            let response = try await client.execute(HTTPClientRequest(target: "/close"), on: endpoint)
            #expect(response.body == Array("bye".utf8))
        }
        #expect(client.statistics.connectionsOpened == 3)
        #expect(client.statistics.idleConnections == 0)
    }

    @Test func staleIdleConnectionIsRetriedForIdempotentRequests() async throws {
        // A server that answers one keep-alive response per connection and then
        // closes it silently, as servers do with idle connections.
        let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        defer { listener.close() }
        let serverTask = Task {
            for i in 0..<2 {
                let socket = try await listener.accept()
                _ = try await socket.read(maxBytes: 4096)
                try await socket.write(Array("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n\(i)".utf8))
                socket.close()
            }
        }
        let client = HTTPClient()
        let endpoint = HTTPEndpoint(scheme: .http, host: "127.0.0.1", port: Int(listener.localAddress.port!))
        let first = try await client.execute(HTTPClientRequest(target: "/"), on: endpoint)
        #expect(first.body == Array("0".utf8))
        #expect(client.statistics.idleConnections == 1)
        let second = try await client.execute(HTTPClientRequest(target: "/"), on: endpoint)
        #expect(second.body == Array("1".utf8))
        #expect(client.statistics.connectionsOpened == 2)
        try await serverTask.value
    }

    @Test func connectionRefusedSaysNothingIsListening() async throws {
        let port = try TestBytes.closedPort()
        let error = await #expect(throws: IOError.self) {
            _ = try await HTTPClient().execute(HTTPClientRequest(target: "/"),
                                               on: HTTPEndpoint(scheme: .http, host: "127.0.0.1", port: Int(port)))
        }
        #expect(error?.kind == .connectionRefused)
    }

    @Test func malformedResponseIsAParseError() async throws {
        let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        defer { listener.close() }
        let serverTask = Task {
            let socket = try await listener.accept()
            _ = try await socket.read(maxBytes: 4096)
            try await socket.write(Array("HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n".utf8))
            socket.close()
        }
        await #expect(throws: HTTPParseError.self) {
            _ = try await HTTPClient().execute(HTTPClientRequest(target: "/"),
                                               on: HTTPEndpoint(scheme: .http, host: "127.0.0.1", port: Int(listener.localAddress.port!)))
        }
        try await serverTask.value
    }

    @Test func hostNamesResolve() async throws {
        let server = try Self.startServer()
        defer { server.shutdown() }
        let endpoint = HTTPEndpoint(scheme: .http, host: "localhost", port: Int(server.localAddress.port!))
        let response = try await HTTPClient().execute(HTTPClientRequest(method: .POST, target: "/echo", body: [42]), on: endpoint)
        #expect(response.body == [42])
    }

    @Test func urlParsing() throws {
        let url = try HTTPURL("https://[::1]:6443/api/v1/pods?limit=5#frag")
        #expect(url.scheme == .https && url.host == "::1" && url.port == 6443 && url.target == "/api/v1/pods?limit=5")
        #expect(try HTTPURL("http://example.com").port == 80)
        #expect(try HTTPURL("wss://h?x=1").target == "/?x=1")
        #expect(throws: HTTPClientError.self) { try HTTPURL("ftp://x") }
        #expect(throws: HTTPClientError.self) { try HTTPURL("https://h:99999/") }
        #expect(throws: HTTPClientError.self) { try HTTPURL("https:///path") }
    }

    // MARK: TLS

    @Test func httpsBurstUsesOneHandshakeAndResumesAfterwards() async throws {
        let pki = TestPKI.shared
        let server = try Self.startServer(tls: try pki.serverContext())
        defer { server.shutdown() }
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url, tls: try pki.clientContext())
        for _ in 0..<100 {
            let response = try await client.execute(HTTPClientRequest(target: "/whoami"), on: endpoint)
            #expect(response.status == 200)
        }
        #expect(client.statistics.tlsHandshakes == 1)
        client.closeIdleConnections()
        _ = try await client.execute(HTTPClientRequest(target: "/whoami"), on: endpoint)
        #expect(client.statistics.tlsHandshakes == 2)
        #expect(client.statistics.tlsResumptions == 1)
    }

    @Test func idleHTTPSConnectionClosedByTheServerIsReplaced() async throws {
        let pki = TestPKI.shared
        var configuration = HTTPServer.Configuration()
        configuration.idleTimeout = .seconds(1) // the server's keep-alive idle limit
        let server = try Self.startServer(tls: try pki.serverContext(), configuration: configuration)
        defer { server.shutdown() }
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url, tls: try pki.clientContext())
        _ = try await client.execute(HTTPClientRequest(target: "/whoami"), on: endpoint)
        #expect(client.statistics.idleConnections == 1)
        // Wait until the server has closed the idle connection (with close_notify).
        try await withTimeout(.seconds(60)) { while server.openConnectionCount > 0 { try await Task.sleep(for: .milliseconds(10)) } }
        let response = try await client.execute(HTTPClientRequest(target: "/whoami"), on: endpoint)
        #expect(response.status == 200)
        #expect(client.statistics.connectionsOpened == 2)
    }

    @Test func requestTimeoutNamesTheRequest() async throws {
        let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        defer { listener.close() }
        let silent = Task { try await listener.accept() } // accepts, never answers
        let request = HTTPClientRequest(target: "/slow", timeout: .milliseconds(200))
        let error = await #expect(throws: TimeoutError.self) {
            _ = try await HTTPClient().execute(request, on: HTTPEndpoint(scheme: .http, host: "127.0.0.1",
                                                                         port: Int(listener.localAddress.port!)))
        }
        #expect(error?.description.contains("/slow") == true)
        try await silent.value.close()
    }

    @Test func poolIsKeyedByCredentials() async throws {
        let pki = TestPKI.shared
        let server = try Self.startServer(tls: try pki.serverContext(clientCertificate: .optional))
        defer { server.shutdown() }
        let client = HTTPClient()
        let anonymous = try HTTPEndpoint(url: server.url, tls: try pki.clientContext(), credentialsID: "anonymous")
        let user = try HTTPEndpoint(url: server.url, tls: try pki.clientContext(identity: pki.client),
                                    credentialsID: "alice")
        for _ in 0..<3 {
            let a = try await client.execute(HTTPClientRequest(target: "/whoami"), on: anonymous)
            let u = try await client.execute(HTTPClientRequest(target: "/whoami"), on: user)
            #expect(String(decoding: a.body, as: UTF8.self) == "anonymous")
            #expect(String(decoding: u.body, as: UTF8.self) == "alice")
        }
        #expect(client.statistics.connectionsOpened == 2)
    }
}
