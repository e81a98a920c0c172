import Foundation
import KlientTLS

/// A throwaway PKI for tests: a CA, a server certificate for localhost,
/// 127.0.0.1 and ::1, and a client certificate, all made through the OpenSSL
/// API. PEM files are written to a private temporary directory for peers
/// that need paths (the Python interop scripts).
public struct TestPKI: Sendable {
    public let ca: CertificateAuthority
    public let server: IssuedCertificate
    public let client: IssuedCertificate
    public let directory: String

    /// One shared instance: key generation is the slow part of TLS tests.
    public static let shared: TestPKI = {
        do { return try TestPKI() } catch { fatalError("cannot build the test PKI: \(error)") }
    }()

    public init() throws {
        ca = try CertificateAuthority.create(commonName: "klient test CA")
        server = try ca.issueServerCertificate(commonName: "localhost", dnsNames: ["localhost"],
                                               ipAddresses: ["127.0.0.1", "::1"])
        client = try ca.issueClientCertificate(commonName: "test-user", organizations: ["testers"])
        directory = NSTemporaryDirectory() + "klient-pki-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try Data(ca.certificatePEM).write(to: URL(fileURLWithPath: caPath))
        try server.write(certificateTo: serverCertificatePath, privateKeyTo: serverKeyPath)
    }

    public var caPath: String { directory + "/ca.crt" }
    public var serverCertificatePath: String { directory + "/server.crt" }
    public var serverKeyPath: String { directory + "/server.key" }

    /// A server context presenting the localhost certificate.
    public func serverContext(clientCertificate: TLSConfiguration.ClientCertificateMode = .none) throws -> TLSContext {
        try TLSContext(configuration: .server(identity: server.identity, clientCertificate: clientCertificate,
                                              clientCertificateAuthorityPEM: clientCertificate == .none ? nil : ca.certificatePEM))
    }

    /// A client context trusting the test CA.
    public func clientContext(identity: TLSConfiguration.Identity? = nil, serverName: String? = nil) throws -> TLSContext {
        try TLSContext(configuration: .client(trustRoots: .pem(ca.certificatePEM), identity: identity, serverName: serverName))
    }
}
