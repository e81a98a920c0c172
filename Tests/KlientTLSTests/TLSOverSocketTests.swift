import KlientIO
import KlientTestSupport
import KlientTLS
import Testing

/// The acceptance cases of TLS verification, over real TCP sockets on loopback.
@Suite("TLS over real sockets")
struct TLSOverSocketTests {
    let pki = TestPKI.shared

    /// Accepts one connection on `listener` and runs the server handshake;
    /// returns the stream or the server-side error.
    private func serveOnce(_ listener: Listener, _ context: TLSContext) -> Task<Result<TLSStream, any Error>, Never> {
        Task {
            do {
                let socket = try await listener.accept()
                do { return .success(try await TLSStream.server(over: socket, context: context)) } catch {
                    socket.close()
                    return .failure(error)
                }
            } catch { return .failure(error) }
        }
    }

    private func connect(_ listener: Listener, host: String, context: TLSContext) async throws -> TLSStream {
        let address = try SocketAddress(host: "127.0.0.1", port: listener.localAddress.port!)
        let socket = try await Socket.connect(to: address)
        do {
            return try await TLSStream.client(over: socket, context: context, host: host, port: Int(address.port!))
        } catch {
            socket.close()
            throw error
        }
    }

    private func listen() throws -> Listener { try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0")) }

    @Test func validChainPassesAndCarriesData() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext())
        let client = try await connect(listener, host: "localhost", context: try pki.clientContext())
        let serverStream = try await server.value.get()
        #expect(client.handshakeInfo.alpnProtocol == "http/1.1")
        #expect(client.handshakeInfo.protocolVersion.hasPrefix("TLSv1."))
        try await client.write(Array("ping".utf8))
        #expect(try await serverStream.read(maxBytes: 16) == Array("ping".utf8))
        client.close()
        serverStream.close()
    }

    @Test func wrongCertificateAuthorityFailsSayingSo() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext())
        let wrongTrust = try pki.clientContext(trusting: pki.otherCA)
        let error = await #expect(throws: TLSError.self) {
            _ = try await connect(listener, host: "localhost", context: wrongTrust)
        }
        #expect(error?.kind == .unknownAuthority)
        #expect(error?.description.contains("unknown authority") == true)
        _ = await server.value
    }

    @Test func wrongHostnameFailsNamingTheCertificateNames() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext())
        let error = await #expect(throws: TLSError.self) {
            _ = try await connect(listener, host: "api.example.com", context: try pki.clientContext())
        }
        #expect(error?.kind == .hostnameMismatch)
        #expect(error?.description.contains("api.example.com") == true)
        #expect(error?.description.contains("localhost") == true)
        _ = await server.value
    }

    @Test func expiredCertificateFailsSayingExpired() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext(pki.expiredServer))
        let error = await #expect(throws: TLSError.self) {
            _ = try await connect(listener, host: "localhost", context: try pki.clientContext())
        }
        #expect(error?.kind == .certificateExpired)
        #expect(error?.description.contains("expired") == true)
        _ = await server.value
    }

    @Test func requiredClientCertificateIsAcceptedAndSeenByTheServer() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext(clientCertificate: .required))
        let client = try await connect(listener, host: "localhost",
                                       context: try pki.clientContext(identity: pki.client))
        let serverStream = try await server.value.get()
        // The handshake is only final for the server once it has read client data (TLS 1.3).
        try await client.write([1, 2, 3])
        #expect(try await serverStream.read(maxBytes: 3) == [1, 2, 3])
        #expect(serverStream.handshakeInfo.peerCommonName == "alice")
        #expect(serverStream.handshakeInfo.peerOrganizations == ["system:masters", "dev"])
        client.close()
        serverStream.close()
    }

    @Test func missingClientCertificateIsRejected() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext(clientCertificate: .required))
        // With TLS 1.3 the client may finish first; the refusal then arrives on the first read.
        do {
            let client = try await connect(listener, host: "localhost", context: try pki.clientContext())
            try await client.write([1])
            _ = try await client.read(maxBytes: 1)
            Issue.record("the server accepted a client without a certificate")
        } catch let error as TLSError {
            #expect([.alertReceived, .handshakeFailed, .peerSentNoCertificate].contains(error.kind), "\(error)")
        }
        guard case .failure(let serverError) = await server.value else {
            Issue.record("server handshake succeeded without a client certificate")
            return
        }
        let tlsError = try #require(serverError as? TLSError)
        #expect(tlsError.kind == .peerSentNoCertificate, "\(tlsError)")
    }

    @Test func ipLiteralWithIPSubjectAltNamePassesWithoutSNI() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext())
        let client = try await connect(listener, host: "127.0.0.1", context: try pki.clientContext())
        let serverStream = try await server.value.get()
        #expect(serverStream.handshakeInfo.serverName == nil) // no SNI for IP literals (RFC 6066 §3)
        client.close()
        serverStream.close()
    }

    @Test func ipLiteralNotInTheCertificateFails() async throws {
        let listener = try listen()
        defer { listener.close() }
        let dnsOnly = try pki.ca.issueServerCertificate(commonName: "localhost", dnsNames: ["localhost"])
        let server = serveOnce(listener, try pki.serverContext(dnsOnly))
        let error = await #expect(throws: TLSError.self) {
            _ = try await connect(listener, host: "127.0.0.1", context: try pki.clientContext())
        }
        #expect(error?.kind == .hostnameMismatch)
        _ = await server.value
    }

    @Test func serverNameOverrideIsSentAndVerified() async throws {
        let listener = try listen()
        defer { listener.close() }
        let server = serveOnce(listener, try pki.serverContext())
        let client = try await connect(listener, host: "127.0.0.1",
                                       context: try pki.clientContext(serverName: "localhost"))
        let serverStream = try await server.value.get()
        #expect(serverStream.handshakeInfo.serverName == "localhost")
        client.close()
        serverStream.close()
    }

    @Test func repeatConnectionResumesTheSession() async throws {
        let listener = try listen()
        defer { listener.close() }
        let serverContext = try pki.serverContext()
        let clientContext = try pki.clientContext()
        var resumed: [Bool] = []
        for _ in 0..<3 {
            let server = serveOnce(listener, serverContext)
            let client = try await connect(listener, host: "localhost", context: clientContext)
            let serverStream = try await server.value.get()
            // Exchange data so TLS 1.3 session tickets reach the client.
            try await serverStream.write([7])
            #expect(try await client.read(maxBytes: 1) == [7])
            resumed.append(client.handshakeInfo.sessionResumed)
            client.close()
            serverStream.close()
        }
        #expect(resumed == [false, true, true])
    }
}
