import KlientIO
import KlientTLS
import Testing

/// Certificates shared by the TLS tests, made once per test process.
struct TestPKI: Sendable {
    let ca: CertificateAuthority
    let otherCA: CertificateAuthority
    /// ECDSA server cert for localhost, api.example.test, 127.0.0.1 and ::1.
    let server: IssuedCertificate
    /// The same names with an RSA key.
    let rsaServer: IssuedCertificate
    let expiredServer: IssuedCertificate
    let notYetValidServer: IssuedCertificate
    /// Server cert for the same names issued by `otherCA`.
    let untrustedServer: IssuedCertificate
    /// CN=alice, O=system:masters, O=dev.
    let client: IssuedCertificate
    /// CN=mallory, issued by `otherCA`.
    let untrustedClient: IssuedCertificate

    static let dnsNames = ["localhost", "api.example.test"]
    static let ipAddresses = ["127.0.0.1", "::1"]

    static let shared: TestPKI = {
        do {
            let ca = try CertificateAuthority.create(commonName: "klient test CA")
            let otherCA = try CertificateAuthority.create(commonName: "some other CA")
            func server(_ authority: CertificateAuthority, key: CertificateAuthority.KeyType = .ecdsaP256,
                        validity: CertificateAuthority.Validity = .oneYear) throws -> IssuedCertificate {
                try authority.issueServerCertificate(commonName: "kube-apiserver", dnsNames: dnsNames,
                                                     ipAddresses: ipAddresses, keyType: key, validity: validity)
            }
            return TestPKI(
                ca: ca, otherCA: otherCA,
                server: try server(ca),
                rsaServer: try server(ca, key: .rsa(bits: 2048)),
                expiredServer: try server(ca, validity: .expired),
                notYetValidServer: try server(ca, validity: .notYetValid),
                untrustedServer: try server(otherCA),
                client: try ca.issueClientCertificate(commonName: "alice", organizations: ["system:masters", "dev"]),
                untrustedClient: try otherCA.issueClientCertificate(commonName: "mallory"))
        } catch {
            fatalError("test PKI: \(error)")
        }
    }()

    func clientContext(trusting authority: CertificateAuthority? = nil, identity: IssuedCertificate? = nil,
                       serverName: String? = nil, insecure: Bool = false, alpn: [String] = ["http/1.1"],
                       maximumVersion: TLSConfiguration.MaximumVersion = .tls13) throws -> TLSContext {
        try TLSContext(configuration: .client(
            trustRoots: .pem((authority ?? ca).certificatePEM), identity: identity?.identity,
            serverName: serverName, insecureSkipVerify: insecure, alpnProtocols: alpn,
            maximumVersion: maximumVersion))
    }

    func serverContext(_ certificate: IssuedCertificate? = nil,
                       clientCertificate: TLSConfiguration.ClientCertificateMode = .none,
                       alpn: [String] = ["http/1.1"],
                       maximumVersion: TLSConfiguration.MaximumVersion = .tls13) throws -> TLSContext {
        try TLSContext(configuration: .server(
            identity: (certificate ?? server).identity, clientCertificate: clientCertificate,
            clientCertificateAuthorityPEM: clientCertificate == .none ? nil : ca.certificatePEM,
            alpnProtocols: alpn, maximumVersion: maximumVersion))
    }
}

/// Both ends of one TLS handshake over an in-memory pair.
struct HandshakeOutcome {
    let client: Result<TLSStream, any Error>
    let server: Result<TLSStream, any Error>

    func streams() throws -> (client: TLSStream, server: TLSStream) {
        (try client.get(), try server.get())
    }

    var clientError: TLSError? { client.failure as? TLSError }
    var serverError: TLSError? { server.failure as? TLSError }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Runs client and server handshakes concurrently over a fresh in-memory pair.
func handshake(client: TLSContext, server: TLSContext, host: String = "localhost",
               port: Int = 6443) async -> HandshakeOutcome {
    let (clientSide, serverSide) = MemoryStreamPair.make()
    async let serverResult: Result<TLSStream, any Error> = {
        do { return .success(try await TLSStream.server(over: serverSide, context: server)) }
        catch { return .failure(error) }
    }()
    let clientResult: Result<TLSStream, any Error>
    do { clientResult = .success(try await TLSStream.client(over: clientSide, context: client, host: host, port: port)) }
    catch { clientResult = .failure(error) }
    return HandshakeOutcome(client: clientResult, server: await serverResult)
}

/// Reads until end of stream or until `count` bytes arrived.
func readAll(_ stream: any ByteStream, count: Int = .max) async throws -> [UInt8] {
    var result: [UInt8] = []
    while result.count < count {
        let chunk = try await stream.read(maxBytes: min(256 * 1024, count - result.count))
        if chunk.isEmpty { break }
        result.append(contentsOf: chunk)
    }
    return result
}

/// Sends `message` one way and checks it arrives intact.
func expectRoundTrip(_ outcome: HandshakeOutcome, _ message: String = "ping",
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let (client, server) = try outcome.streams()
    try await client.write(Array(message.utf8))
    let got = try await readAll(server, count: message.utf8.count)
    #expect(String(decoding: got, as: UTF8.self) == message, sourceLocation: sourceLocation)
    try await server.write(Array("pong".utf8))
    let reply = try await readAll(client, count: 4)
    #expect(reply == Array("pong".utf8), sourceLocation: sourceLocation)
}
