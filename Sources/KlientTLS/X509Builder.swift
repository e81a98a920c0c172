internal import COpenSSL
internal import CKlientShims

/// Key generation and X.509 v3 certificate assembly for CertificateAuthority.
enum X509Builder {
    /// A new key pair; the caller frees it.
    static func generateKey(_ type: CertificateAuthority.KeyType) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        let key: OpaquePointer?
        switch type {
        case .ecdsaP256:
            key = klient_ec_keygen("P-256")
        case .rsa(let bits):
            guard bits >= 2048, bits <= 16384 else {
                throw TLSError(.certificateGeneration, "RSA keys must have 2048...16384 bits, not \(bits)")
            }
            key = klient_rsa_keygen(UInt32(bits))
        }
        guard let key else { throw OpenSSLErrorQueue.error(.certificateGeneration, "key generation failed") }
        return key
    }

    /// Parses the CA's certificate and key (checking they belong together)
    /// and lends them to `body`.
    static func withCA<T>(_ certificatePEM: [UInt8], _ privateKeyPEM: [UInt8],
                          _ body: (OpaquePointer, OpaquePointer) throws -> T) throws -> T {
        let certs = try PEM.certificates(certificatePEM)
        defer { certs.forEach { X509_free($0) } }
        guard let cert = certs.first else {
            throw TLSError(.certificateGeneration, "no certificate found in CA PEM")
        }
        let key = try PEM.privateKey(privateKeyPEM, what: "CA key")
        defer { EVP_PKEY_free(key) }
        OpenSSLErrorQueue.clear()
        guard X509_check_private_key(cert, key) == 1 else {
            throw OpenSSLErrorQueue.error(.certificateGeneration, "CA key does not match CA certificate")
        }
        return try body(cert, key)
    }

    /// A signed certificate; the caller frees it. `issuer` nil means self-signed.
    static func build(commonName: String, organizations: [String], publicKey: OpaquePointer,
                      issuer: OpaquePointer?, issuerKey: OpaquePointer,
                      validity: CertificateAuthority.Validity,
                      extensions: [(Int32, String)]) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let cert = X509_new() else { throw OpenSSLErrorQueue.error(.certificateGeneration, "X509_new failed") }
        var ok = false
        defer { if !ok { X509_free(cert) } }
        func check(_ success: Bool, _ what: String) throws {
            if !success { throw OpenSSLErrorQueue.error(.certificateGeneration, "\(what) failed") }
        }
        try check(X509_set_version(cert, 2) == 1, "setting the X.509 version") // v3
        try setRandomSerial(cert)
        try check(X509_gmtime_adj(X509_getm_notBefore(cert), seconds(validity.notBefore)) != nil, "setting notBefore")
        try check(X509_gmtime_adj(X509_getm_notAfter(cert), seconds(validity.notAfter)) != nil, "setting notAfter")

        guard let name = X509_NAME_new() else { throw OpenSSLErrorQueue.error(.certificateGeneration, "X509_NAME_new failed") }
        defer { X509_NAME_free(name) }
        for organization in organizations {
            try check(addEntry(name, "O", organization), "adding O=\(organization)")
        }
        try check(addEntry(name, "CN", commonName), "adding CN=\(commonName)")
        try check(X509_set_subject_name(cert, name) == 1, "setting the subject")
        let issuerName = issuer.map { X509_get_subject_name($0) } ?? X509_get_subject_name(cert)
        try check(X509_set_issuer_name(cert, issuerName) == 1, "setting the issuer")
        try check(X509_set_pubkey(cert, publicKey) == 1, "setting the public key")

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? cert, cert, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw OpenSSLErrorQueue.error(.certificateGeneration, "building extension \(value)")
            }
            defer { X509_EXTENSION_free(ext) }
            try check(X509_add_ext(cert, ext, -1) == 1, "adding extension \(value)")
        }
        try check(X509_sign(cert, issuerKey, EVP_sha256()) > 0, "signing the certificate")
        ok = true
        return cert
    }

    private static func addEntry(_ name: OpaquePointer, _ field: String, _ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1
    }

    /// RFC 5280 §4.1.2.2: a positive serial of at most 20 octets, unique per CA: 16 random bytes.
    private static func setRandomSerial(_ cert: OpaquePointer) throws {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else {
            throw OpenSSLErrorQueue.error(.certificateGeneration, "no random bytes for the serial number")
        }
        bytes[0] = (bytes[0] & 0x7F) | 0x01 // positive and non-zero
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else {
            throw OpenSSLErrorQueue.error(.certificateGeneration, "serial number")
        }
        defer { BN_free(bn) }
        guard BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nil else {
            throw OpenSSLErrorQueue.error(.certificateGeneration, "serial number")
        }
    }

    private static func seconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds)
    }
}
