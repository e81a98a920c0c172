import Foundation
import KlientTLS

/// Certificates shared by the tests, made once per test process through the
/// OpenSSL API. PEM files for peers that need paths (the Python interop
/// scripts) are written on first use to a private temporary directory.
public struct TestPKI: Sendable {
    public let ca: CertificateAuthority
    public let otherCA: CertificateAuthority
    /// ECDSA server cert for localhost, api.example.test, 127.0.0.1 and ::1.
    public let server: IssuedCertificate
    /// The same names with an RSA key.
    public let rsaServer: IssuedCertificate
    public let expiredServer: IssuedCertificate
    public let notYetValidServer: IssuedCertificate
    /// Server cert for the same names issued by `otherCA`.
    public let untrustedServer: IssuedCertificate
    /// CN=alice, O=system:masters, O=dev.
    public let client: IssuedCertificate
    /// CN=mallory, issued by `otherCA`.
    public let untrustedClient: IssuedCertificate

    public static let dnsNames = ["localhost", "api.example.test"]
    public static let ipAddresses = ["127.0.0.1", "::1"]

    public static let shared: TestPKI = {
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

    public func clientContext(trusting authority: CertificateAuthority? = nil, identity: IssuedCertificate? = nil,
                       serverName: String? = nil, insecure: Bool = false, alpn: [String] = ["http/1.1"],
                       maximumVersion: TLSConfiguration.MaximumVersion = .tls13) throws -> TLSContext {
        try TLSContext(configuration: .client(
            trustRoots: .pem((authority ?? ca).certificatePEM), identity: identity?.identity,
            serverName: serverName, insecureSkipVerify: insecure, alpnProtocols: alpn,
            maximumVersion: maximumVersion))
    }

    public func serverContext(_ certificate: IssuedCertificate? = nil,
                       clientCertificate: TLSConfiguration.ClientCertificateMode = .none,
                       alpn: [String] = ["http/1.1"],
                       maximumVersion: TLSConfiguration.MaximumVersion = .tls13) throws -> TLSContext {
        try TLSContext(configuration: .server(
            identity: (certificate ?? server).identity, clientCertificate: clientCertificate,
            clientCertificateAuthorityPEM: clientCertificate == .none ? nil : ca.certificatePEM,
            alpnProtocols: alpn, maximumVersion: maximumVersion))
    }

    /// A private directory holding `ca.crt`, `server.crt` and `server.key`.
    public static let files: (directory: String, ca: String, serverCertificate: String, serverKey: String) = {
        let pki = TestPKI.shared
        let directory = NSTemporaryDirectory() + "klient-pki-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try Data(pki.ca.certificatePEM).write(to: URL(fileURLWithPath: directory + "/ca.crt"))
            try pki.server.write(certificateTo: directory + "/server.crt", privateKeyTo: directory + "/server.key")
        } catch {
            fatalError("test PKI files: \(error)")
        }
        return (directory, directory + "/ca.crt", directory + "/server.crt", directory + "/server.key")
    }()

    public var caPath: String { Self.files.ca }
    public var serverCertificatePath: String { Self.files.serverCertificate }
    public var serverKeyPath: String { Self.files.serverKey }
}
