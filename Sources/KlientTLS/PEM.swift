internal import COpenSSL

/// Parsing of PEM certificates and keys into owned OpenSSL objects.
enum PEM {
    /// Every certificate in a PEM bundle, in order. The caller frees them
    /// (X509_free). Non-certificate blocks are skipped.
    static func certificates(_ pem: [UInt8]) throws -> [OpaquePointer] {
        OpenSSLErrorQueue.clear()
        let certs: [OpaquePointer] = try MemoryBIO.withReadOnly(pem) { bio in
            var certs: [OpaquePointer] = []
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
                certs.append(cert)
            }
            return certs
        }
        // Reading stops with a "no start line" error at the end of the input: expected.
        OpenSSLErrorQueue.clear()
        return certs
    }

    /// The first private key (PKCS#8, traditional RSA or EC) in `pem`. The
    /// caller frees it (EVP_PKEY_free).
    static func privateKey(_ pem: [UInt8], what: String) throws -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        let key = try MemoryBIO.withReadOnly(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, nil, nil) }
        guard let key else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration,
                "no private key found in \(what) PEM (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY; encrypted keys are not supported)")
        }
        return key
    }

    static func encode(certificate: OpaquePointer) throws -> [UInt8] {
        try write { PEM_write_bio_X509($0, certificate) }
    }

    /// PKCS#8 "PRIVATE KEY", unencrypted.
    static func encode(privateKey: OpaquePointer) throws -> [UInt8] {
        try write { PEM_write_bio_PrivateKey($0, privateKey, nil, nil, 0, nil, nil) }
    }

    private static func write(_ body: (OpaquePointer) -> Int32) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw OpenSSLErrorQueue.error(.certificateGeneration, "out of memory creating a BIO")
        }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else {
            throw OpenSSLErrorQueue.error(.certificateGeneration, "PEM encoding failed")
        }
        return MemoryBIO.readAll(bio)
    }
}
