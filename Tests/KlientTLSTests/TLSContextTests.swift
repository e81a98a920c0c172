import KlientTestSupport
import KlientTLS
import Testing

@Suite struct TLSContextTests {
    let pki = TestPKI.shared

    @Test func clientKeyNotMatchingCertificateIsNamed() throws {
        let other = try pki.ca.issueClientCertificate(commonName: "bob")
        let identity = TLSConfiguration.Identity(certificateChainPEM: pki.client.certificatePEM,
                                                 privateKeyPEM: other.privateKeyPEM)
        let error = #expect(throws: TLSError.self) {
            _ = try TLSContext(configuration: .client(trustRoots: .pem(pki.ca.certificatePEM), identity: identity))
        }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.message.contains("client key does not match certificate") == true)
        #expect(error?.openSSLErrors.isEmpty == false)
    }

    @Test func keyOfAnotherTypeDoesNotMatchEither() throws {
        let identity = TLSConfiguration.Identity(certificateChainPEM: pki.rsaServer.certificatePEM,
                                                 privateKeyPEM: pki.server.privateKeyPEM)
        let error = #expect(throws: TLSError.self) { _ = try TLSContext(configuration: .server(identity: identity)) }
        #expect(error?.message.contains("server key does not match certificate") == true)
    }

    @Test func caPEMWithoutCertificateIsNamed() {
        for pem in [[], Array("garbage".utf8), pki.client.privateKeyPEM] {
            let error = #expect(throws: TLSError.self) {
                _ = try TLSContext(configuration: .client(trustRoots: .pem(pem)))
            }
            #expect(error?.message.contains("no certificate found in CA PEM") == true)
        }
    }

    @Test func caBundleWithSeveralCertificatesTrustsAll() async throws {
        let bundle = pki.otherCA.certificatePEM + pki.ca.certificatePEM
        let context = try TLSContext(configuration: .client(trustRoots: .pem(bundle)))
        try await expectRoundTrip(await handshake(client: context, server: try pki.serverContext()))
    }

    @Test func missingOrBadKeyIsNamed() {
        let identity = TLSConfiguration.Identity(certificateChainPEM: pki.client.certificatePEM,
                                                 privateKeyPEM: Array("nope".utf8))
        let error = #expect(throws: TLSError.self) {
            _ = try TLSContext(configuration: .client(identity: identity))
        }
        #expect(error?.message.contains("no private key found in client key PEM") == true)
    }

    @Test func serverNeedsIdentityAndClientCA() {
        var configuration = TLSConfiguration.server(identity: pki.server.identity)
        configuration.identity = nil
        let noIdentity = #expect(throws: TLSError.self) { _ = try TLSContext(configuration: configuration) }
        #expect(noIdentity?.message.contains("a server needs an identity") == true)

        let noCA = #expect(throws: TLSError.self) {
            _ = try TLSContext(configuration: .server(identity: pki.server.identity, clientCertificate: .required))
        }
        #expect(noCA?.message.contains("no client CA PEM") == true)
    }

    @Test func invalidALPNNameIsRejected() {
        let error = #expect(throws: TLSError.self) {
            _ = try TLSContext(configuration: .client(alpnProtocols: [""]))
        }
        #expect(error?.kind == .invalidConfiguration)
    }

    @Test func systemTrustRootsLoad() throws {
        let context = try TLSContext(configuration: .client())
        #expect(context.cachedSessionCount == 0)
    }

    @Test func serverChainWithIntermediateVerifies() async throws {
        // Leaf + an extra certificate in the chain PEM: the extra one is sent along.
        let identity = TLSConfiguration.Identity(
            certificateChainPEM: pki.server.certificatePEM + pki.ca.certificatePEM,
            privateKeyPEM: pki.server.privateKeyPEM)
        let server = try TLSContext(configuration: .server(identity: identity))
        try await expectRoundTrip(await handshake(client: try pki.clientContext(), server: server))
    }
}
