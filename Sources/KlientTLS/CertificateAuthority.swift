internal import COpenSSL
internal import CKlientShims

/// A certificate authority made with the OpenSSL API alone (no `openssl`
/// command), for tests and for klient-sim: it creates a self-signed CA and
/// issues server certificates (serverAuth, DNS and IP subjectAltNames) and
/// client certificates (clientAuth, CN = user, O = groups, as Kubernetes
/// reads them).
///
/// A value holding PEM only; every operation parses what it needs, so it is
/// freely `Sendable` and can be persisted with `certificate.write(...)`.
public struct CertificateAuthority: Sendable, Equatable {
    public enum KeyType: Sendable, Equatable {
        /// ECDSA on P-256 (fast to generate; the default).
        case ecdsaP256
        /// RSA with a modulus of `bits` bits (2048 or more).
        case rsa(bits: Int)
    }

    /// A validity window relative to the moment of issue. Negative offsets
    /// lie in the past, so `Validity(notBefore: .seconds(-172800), notAfter: .seconds(-86400))`
    /// makes a certificate that expired yesterday.
    public struct Validity: Sendable, Equatable {
        public var notBefore: Duration
        public var notAfter: Duration

        public init(notBefore: Duration = .seconds(-3600), notAfter: Duration) {
            self.notBefore = notBefore
            self.notAfter = notAfter
        }

        /// From an hour ago (clock skew) for a year.
        public static let oneYear = Validity(notAfter: .seconds(365 * 86_400))
        /// From an hour ago for ten years.
        public static let tenYears = Validity(notAfter: .seconds(3650 * 86_400))
        /// Expired a day ago.
        public static let expired = Validity(notBefore: .seconds(-2 * 86_400), notAfter: .seconds(-86_400))
        /// Valid only from tomorrow.
        public static let notYetValid = Validity(notBefore: .seconds(86_400), notAfter: .seconds(2 * 86_400))
    }

    /// The CA's own certificate and key.
    public let certificate: IssuedCertificate

    /// The CA certificate in PEM: what clients put in `certificate-authority-data`.
    public var certificatePEM: [UInt8] { certificate.certificatePEM }

    /// Creates a new self-signed CA.
    ///
    /// - Throws: `TLSError` of kind `.certificateGeneration`.
    public static func create(commonName: String = "klient CA", keyType: KeyType = .ecdsaP256,
                              validity: Validity = .tenYears) throws -> CertificateAuthority {
        let key = try X509Builder.generateKey(keyType)
        defer { EVP_PKEY_free(key) }
        let cert = try X509Builder.build(
            commonName: commonName, organizations: [], publicKey: key,
            issuer: nil, issuerKey: key, validity: validity,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE"),
                (NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ])
        defer { X509_free(cert) }
        return CertificateAuthority(certificate: IssuedCertificate(
            certificatePEM: try PEM.encode(certificate: cert), privateKeyPEM: try PEM.encode(privateKey: key)))
    }

    /// Loads an existing CA (for example one persisted by klient-sim).
    ///
    /// - Throws: `TLSError` if either PEM does not parse or the key does not
    ///   belong to the certificate.
    public init(certificatePEM: [UInt8], privateKeyPEM: [UInt8]) throws {
        try X509Builder.withCA(certificatePEM, privateKeyPEM) { _, _ in }
        self.certificate = IssuedCertificate(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
    }

    private init(certificate: IssuedCertificate) {
        self.certificate = certificate
    }

    /// Issues a server certificate for the given DNS names and IP addresses
    /// (IPv4 or IPv6 literals), with extendedKeyUsage serverAuth. The subject
    /// CN is informational: clients verify the subjectAltNames only.
    ///
    /// - Throws: `TLSError` if a name is empty or contains a comma, an IP
    ///   address does not parse, or OpenSSL fails.
    public func issueServerCertificate(commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [],
                                       keyType: KeyType = .ecdsaP256,
                                       validity: Validity = .oneYear) throws -> IssuedCertificate {
        var altNames: [String] = []
        for name in dnsNames {
            guard !name.isEmpty, !name.contains(","), !name.contains(":") else {
                throw TLSError(.certificateGeneration, "invalid DNS name \"\(name)\" for a subjectAltName")
            }
            altNames.append("DNS:\(name)")
        }
        for address in ipAddresses {
            guard let ip = IPAddressLiteral.verifiableForm(of: IPAddressLiteral.stripBrackets(address)),
                  !ip.contains(",") else {
                throw TLSError(.certificateGeneration, "invalid IP address \"\(address)\" for a subjectAltName")
            }
            altNames.append("IP:\(ip)")
        }
        var extensions = leafExtensions(keyType: keyType, usage: "serverAuth")
        if !altNames.isEmpty {
            extensions.append((NID_subject_alt_name, altNames.joined(separator: ",")))
        }
        return try issue(commonName: commonName, organizations: [], keyType: keyType,
                         validity: validity, extensions: extensions)
    }

    /// Issues a client certificate with extendedKeyUsage clientAuth. Kubernetes
    /// takes the user name from CN and the groups from the O values.
    ///
    /// - Throws: `TLSError` of kind `.certificateGeneration`.
    public func issueClientCertificate(commonName: String, organizations: [String] = [],
                                       keyType: KeyType = .ecdsaP256,
                                       validity: Validity = .oneYear) throws -> IssuedCertificate {
        try issue(commonName: commonName, organizations: organizations, keyType: keyType,
                  validity: validity, extensions: leafExtensions(keyType: keyType, usage: "clientAuth"))
    }

    private func leafExtensions(keyType: KeyType, usage: String) -> [(Int32, String)] {
        // keyEncipherment only makes sense for RSA key transport (TLS 1.2 RSA kx).
        let keyUsage: String
        if case .rsa = keyType { keyUsage = "critical,digitalSignature,keyEncipherment" }
        else { keyUsage = "critical,digitalSignature" }
        return [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, keyUsage),
            (NID_ext_key_usage, usage),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ]
    }

    private func issue(commonName: String, organizations: [String], keyType: KeyType, validity: Validity,
                       extensions: [(Int32, String)]) throws -> IssuedCertificate {
        try X509Builder.withCA(certificate.certificatePEM, certificate.privateKeyPEM) { caCert, caKey in
            let key = try X509Builder.generateKey(keyType)
            defer { EVP_PKEY_free(key) }
            let cert = try X509Builder.build(
                commonName: commonName, organizations: organizations, publicKey: key,
                issuer: caCert, issuerKey: caKey, validity: validity, extensions: extensions)
            defer { X509_free(cert) }
            return IssuedCertificate(certificatePEM: try PEM.encode(certificate: cert),
                                     privateKeyPEM: try PEM.encode(privateKey: key))
        }
    }
}
