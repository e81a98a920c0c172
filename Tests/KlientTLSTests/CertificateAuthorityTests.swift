import Glibc
import KlientTLS
import Testing

@Suite struct CertificateAuthorityTests {
    @Test func pemExportLooksRight() throws {
        let ca = try CertificateAuthority.create()
        let text = String(decoding: ca.certificatePEM, as: UTF8.self)
        #expect(text.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let key = String(decoding: ca.certificate.privateKeyPEM, as: UTF8.self)
        #expect(key.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func rsaCAIssuesWorkingCertificates() async throws {
        let ca = try CertificateAuthority.create(commonName: "rsa CA", keyType: .rsa(bits: 2048))
        let server = try ca.issueServerCertificate(commonName: "srv", dnsNames: ["srv.test"])
        let client = try ca.issueClientCertificate(commonName: "carol", organizations: ["ops"], keyType: .rsa(bits: 2048))
        let clientContext = try TLSContext(configuration: .client(trustRoots: .pem(ca.certificatePEM), identity: client.identity))
        let serverContext = try TLSContext(configuration: .server(
            identity: server.identity, clientCertificate: .required, clientCertificateAuthorityPEM: ca.certificatePEM))
        let outcome = await handshake(client: clientContext, server: serverContext, host: "srv.test")
        let (_, serverStream) = try outcome.streams()
        #expect(serverStream.handshakeInfo.peerCommonName == "carol")
        #expect(serverStream.handshakeInfo.peerOrganizations == ["ops"])
    }

    @Test func reloadedCAIssuesCertificatesItsOldSelfTrusts() async throws {
        let original = try CertificateAuthority.create()
        let reloaded = try CertificateAuthority(certificatePEM: original.certificatePEM,
                                                privateKeyPEM: original.certificate.privateKeyPEM)
        #expect(reloaded == original)
        let server = try reloaded.issueServerCertificate(commonName: "x", ipAddresses: ["10.9.8.7"])
        let outcome = await handshake(
            client: try TLSContext(configuration: .client(trustRoots: .pem(original.certificatePEM))),
            server: try TLSContext(configuration: .server(identity: server.identity)), host: "10.9.8.7")
        try await expectRoundTrip(outcome)
    }

    @Test func mismatchedCAKeyIsRejected() throws {
        let a = try CertificateAuthority.create()
        let b = try CertificateAuthority.create()
        let error = #expect(throws: TLSError.self) {
            _ = try CertificateAuthority(certificatePEM: a.certificatePEM, privateKeyPEM: b.certificate.privateKeyPEM)
        }
        #expect(error?.message.contains("CA key does not match CA certificate") == true)
    }

    @Test func invalidNamesAreRejected() throws {
        let ca = try CertificateAuthority.create()
        #expect(throws: TLSError.self) { _ = try ca.issueServerCertificate(commonName: "x", dnsNames: ["a,b"]) }
        #expect(throws: TLSError.self) { _ = try ca.issueServerCertificate(commonName: "x", ipAddresses: ["300.1.1.1"]) }
        #expect(throws: TLSError.self) { _ = try CertificateAuthority.create(keyType: .rsa(bits: 512)) }
    }

    @Test func writesKeyFilesWithMode0600() throws {
        let ca = try CertificateAuthority.create()
        let issued = try ca.issueClientCertificate(commonName: "dave")
        var template = Array("/tmp/klient-tls-test-XXXXXX".utf8CString)
        let dir = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        defer {
            unlink(dir + "/client.crt")
            unlink(dir + "/client.key")
            rmdir(dir)
        }
        // A pre-existing, world-readable key file gets its mode tightened.
        let fd = open(dir + "/client.key", O_CREAT | O_WRONLY, 0o644)
        close(fd)
        try issued.write(certificateTo: dir + "/client.crt", privateKeyTo: dir + "/client.key")
        var info = stat()
        #expect(stat(dir + "/client.key", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(dir + "/client.crt", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
        #expect(Int(info.st_size) == issued.certificatePEM.count)

        let error = #expect(throws: TLSError.self) {
            try issued.write(certificateTo: "/nonexistent/dir/c.crt", privateKeyTo: "/nonexistent/dir/c.key")
        }
        #expect(error?.kind == .fileWrite)
        #expect(error?.message.contains("/nonexistent/dir/c.crt") == true)
    }
}
