import Glibc

/// A certificate and its private key in PEM, as issued by CertificateAuthority.
public struct IssuedCertificate: Sendable, Equatable {
    /// `BEGIN CERTIFICATE` block.
    public let certificatePEM: [UInt8]
    /// Unencrypted PKCS#8 `BEGIN PRIVATE KEY` block.
    public let privateKeyPEM: [UInt8]

    public init(certificatePEM: [UInt8], privateKeyPEM: [UInt8]) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// The pair as a TLS identity (client certificate or server identity).
    public var identity: TLSConfiguration.Identity {
        TLSConfiguration.Identity(certificateChainPEM: certificatePEM, privateKeyPEM: privateKeyPEM)
    }

    /// Writes the certificate (mode 0644) and the key (mode 0600, also when
    /// the file already existed). Small synchronous file writes.
    ///
    /// - Throws: `TLSError` of kind `.fileWrite` naming the file and the errno text.
    public func write(certificateTo certificatePath: String, privateKeyTo keyPath: String) throws {
        try Self.writeFile(certificatePath, certificatePEM, mode: 0o644)
        try Self.writeFile(keyPath, privateKeyPEM, mode: 0o600)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws {
        func failure(_ what: String) -> TLSError {
            TLSError(.fileWrite, "could not \(what) \(path): \(String(cString: strerror(errno)))")
        }
        // Created with the final mode so a key is never readable by others, even briefly.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("create") }
        defer { _ = Glibc.close(fd) }
        guard fchmod(fd, mode) == 0 else { throw failure("set the mode of") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            offset += n
        }
    }
}
