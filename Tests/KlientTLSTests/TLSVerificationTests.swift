import KlientTestSupport
import KlientTLS
import Testing

@Suite struct TLSVerificationTests {
    let pki = TestPKI.shared

    @Test(arguments: ["ecdsa", "rsa"])
    func validChainPasses(keyType: String) async throws {
        let certificate = keyType == "rsa" ? pki.rsaServer : pki.server
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext(certificate))
        let (client, server) = try outcome.streams()
        #expect(client.handshakeInfo.protocolVersion == "TLSv1.3")
        #expect(client.handshakeInfo.sessionResumed == false)
        #expect(client.handshakeInfo.peerCommonName == "kube-apiserver")
        #expect(client.handshakeInfo.peerSubjectAltNames == ["localhost", "api.example.test", "127.0.0.1", "::1"])
        #expect(server.handshakeInfo.serverName == "localhost")
        #expect(server.handshakeInfo.peerCommonName == nil)
        #expect(!client.handshakeInfo.cipherSuite.isEmpty)
        try await expectRoundTrip(outcome)
    }

    @Test func validChainOverTLS12() async throws {
        let outcome = await handshake(client: try pki.clientContext(maximumVersion: .tls12),
                                      server: try pki.serverContext(pki.rsaServer))
        let (client, _) = try outcome.streams()
        #expect(client.handshakeInfo.protocolVersion == "TLSv1.2")
        try await expectRoundTrip(outcome)
    }

    @Test func wrongCAFailsSayingUnknownAuthority() async throws {
        let outcome = await handshake(client: try pki.clientContext(trusting: pki.otherCA),
                                      server: try pki.serverContext())
        let error = try #require(outcome.clientError)
        #expect(error.kind == .unknownAuthority)
        #expect(error.message.contains("certificate signed by an unknown authority"))
        #expect(error.message.contains("klient test CA"))
        #expect(error.message.contains("certificate-authority"))
        #expect(!error.openSSLErrors.isEmpty)
        // The client's alert tells the server why.
        let serverError = try #require(outcome.serverError)
        #expect(serverError.kind == .alertReceived)
        #expect(serverError.alert == "unknown CA (48)")
        #expect(serverError.message.contains("the client rejected this server's certificate"))
    }

    @Test func wrongHostnameFailsListingTheCertificateNames() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext(),
                                      host: "kube.wrong.test")
        let error = try #require(outcome.clientError)
        #expect(error.kind == .hostnameMismatch)
        #expect(error.message.contains(
            "certificate is valid for [localhost, api.example.test, 127.0.0.1, ::1], not kube.wrong.test"))
        #expect(error.message.contains("tls-server-name"))
        #expect(outcome.server.failure != nil)
    }

    @Test func expiredCertificateFailsSayingExpired() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext(pki.expiredServer))
        let error = try #require(outcome.clientError)
        #expect(error.kind == .certificateExpired)
        #expect(error.message.contains("certificate expired at 20"))
        #expect(error.message.contains("kube-apiserver"))
    }

    @Test func notYetValidCertificateFails() async throws {
        let outcome = await handshake(client: try pki.clientContext(),
                                      server: try pki.serverContext(pki.notYetValidServer))
        let error = try #require(outcome.clientError)
        #expect(error.kind == .certificateNotYetValid)
        #expect(error.message.contains("not valid until"))
    }

    @Test func ipLiteralVerifiesIPSubjectAltNameAndSendsNoSNI() async throws {
        for host in ["127.0.0.1", "::1", "[::1]"] {
            let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext(), host: host)
            let (client, server) = try outcome.streams()
            #expect(server.handshakeInfo.serverName == nil, "host \(host)")
            #expect(client.handshakeInfo.serverName == nil, "host \(host)")
            try await expectRoundTrip(outcome)
        }
    }

    @Test func ipLiteralNotInCertificateFails() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext(), host: "10.0.0.1")
        let error = try #require(outcome.clientError)
        #expect(error.kind == .hostnameMismatch)
        #expect(error.message.contains("not 10.0.0.1"))
    }

    @Test func serverNameOverrideIsSentAndVerified() async throws {
        let outcome = await handshake(client: try pki.clientContext(serverName: "api.example.test"),
                                      server: try pki.serverContext(), host: "10.1.2.3")
        let (client, server) = try outcome.streams()
        #expect(server.handshakeInfo.serverName == "api.example.test")
        #expect(client.handshakeInfo.serverName == "api.example.test")
        try await expectRoundTrip(outcome)
    }

    @Test func wrongServerNameOverrideFailsNamingTheOverride() async throws {
        // The dialled host (localhost) is in the certificate, the override is not: the override wins.
        let outcome = await handshake(client: try pki.clientContext(serverName: "other.example.test"),
                                      server: try pki.serverContext(), host: "localhost")
        let error = try #require(outcome.clientError)
        #expect(error.kind == .hostnameMismatch)
        #expect(error.message.contains("not other.example.test"))
    }

    @Test func insecureModeAcceptsAnUntrustedCertificate() async throws {
        let outcome = await handshake(client: try pki.clientContext(trusting: pki.otherCA, insecure: true),
                                      server: try pki.serverContext(pki.expiredServer), host: "wrong.test")
        try await expectRoundTrip(outcome)
        // Without the flag the same connection fails.
        let strict = await handshake(client: try pki.clientContext(trusting: pki.otherCA),
                                     server: try pki.serverContext(pki.expiredServer), host: "wrong.test")
        #expect(strict.clientError != nil)
    }

    @Test func alpnNegotiatesHTTP11() async throws {
        let outcome = await handshake(client: try pki.clientContext(alpn: ["h2", "http/1.1"]),
                                      server: try pki.serverContext(alpn: ["http/1.1"]))
        let (client, server) = try outcome.streams()
        #expect(client.handshakeInfo.alpnProtocol == "http/1.1")
        #expect(server.handshakeInfo.alpnProtocol == "http/1.1")
    }

    @Test func alpnWithoutOverlapContinuesWithoutProtocol() async throws {
        let outcome = await handshake(client: try pki.clientContext(alpn: ["h2"]),
                                      server: try pki.serverContext(alpn: ["http/1.1"]))
        let (client, _) = try outcome.streams()
        #expect(client.handshakeInfo.alpnProtocol == nil)
        try await expectRoundTrip(outcome)
    }
}

@Suite struct TLSClientCertificateTests {
    let pki = TestPKI.shared

    @Test func requiredClientCertificateMissingFailsOnBothSidesTLS13() async throws {
        let outcome = await handshake(client: try pki.clientContext(),
                                      server: try pki.serverContext(clientCertificate: .required))
        let serverError = try #require(outcome.serverError)
        #expect(serverError.kind == .peerSentNoCertificate)
        #expect(serverError.message.contains("sent no certificate"))
        // In TLS 1.3 the client finishes first and learns of the rejection on its first read.
        let clientError: TLSError
        switch outcome.client {
        case .failure(let error):
            clientError = try #require(error as? TLSError)
        case .success(let client):
            let error = await #expect(throws: TLSError.self) { _ = try await client.read(maxBytes: 100) }
            clientError = try #require(error)
        }
        #expect(clientError.kind == .alertReceived)
        #expect(clientError.alert == "certificate required (116)")
        #expect(clientError.message.contains("requires a client certificate"))
        #expect(clientError.message.contains("client-certificate"))
    }

    @Test func requiredClientCertificateMissingFailsOnBothSidesTLS12() async throws {
        let outcome = await handshake(client: try pki.clientContext(maximumVersion: .tls12),
                                      server: try pki.serverContext(clientCertificate: .required))
        #expect(outcome.serverError?.kind == .peerSentNoCertificate)
        let clientError = try #require(outcome.clientError)
        #expect(clientError.kind == .alertReceived)
        #expect(clientError.alert == "handshake failure (40)")
        #expect(clientError.message.contains("requires a client certificate but none was sent"))
    }

    @Test(arguments: [TLSConfiguration.ClientCertificateMode.required, .optional])
    func clientCertificateAcceptedAndServerSeesCN(mode: TLSConfiguration.ClientCertificateMode) async throws {
        let outcome = await handshake(client: try pki.clientContext(identity: pki.client),
                                      server: try pki.serverContext(clientCertificate: mode))
        let (_, server) = try outcome.streams()
        #expect(server.handshakeInfo.peerCommonName == "alice")
        #expect(server.handshakeInfo.peerOrganizations == ["system:masters", "dev"])
        try await expectRoundTrip(outcome)
    }

    @Test func optionalClientCertificateMayBeAbsent() async throws {
        let outcome = await handshake(client: try pki.clientContext(),
                                      server: try pki.serverContext(clientCertificate: .optional))
        let (_, server) = try outcome.streams()
        #expect(server.handshakeInfo.peerCommonName == nil)
        try await expectRoundTrip(outcome)
    }

    @Test func untrustedClientCertificateIsRejected() async throws {
        let outcome = await handshake(client: try pki.clientContext(identity: pki.untrustedClient),
                                      server: try pki.serverContext(clientCertificate: .required))
        let serverError = try #require(outcome.serverError)
        #expect(serverError.kind == .unknownAuthority)
        #expect(serverError.message.contains("client certificate \"CN=mallory\""))
        let clientError: TLSError
        switch outcome.client {
        case .failure(let error):
            clientError = try #require(error as? TLSError)
        case .success(let client):
            let error = await #expect(throws: TLSError.self) { _ = try await client.read(maxBytes: 100) }
            clientError = try #require(error)
        }
        #expect(clientError.kind == .alertReceived)
        #expect(clientError.message.contains("the server rejected our client certificate"))
    }
}
