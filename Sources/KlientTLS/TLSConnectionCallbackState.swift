internal import COpenSSL
internal import CKlientShims

/// Per-connection state that OpenSSL's C callbacks (certificate verification,
/// new session) need. The SSL object points at it through ex_data; the owning
/// `TLSConnection` keeps it alive for as long as the SSL object exists.
///
/// Callbacks run synchronously inside SSL calls, which the connection's owner
/// serializes, so the mutable fields need no lock of their own.
final class TLSConnectionCallbackState {
    /// The first certificate that failed verification, as OpenSSL reported it.
    struct VerifyFailure {
        let code: Int32
        let depth: Int32
        let subject: String
        let issuer: String
        let notBefore: String
        let notAfter: String
        let subjectAltNames: [String]
        let commonName: String?
    }

    let sessionCache: TLSSessionCache?
    let sessionKey: String?
    var verifyFailure: VerifyFailure?
    /// Client: the server sent a CertificateRequest and we had no certificate.
    var certificateRequestedWithoutIdentity = false

    init(sessionCache: TLSSessionCache?, sessionKey: String?) {
        self.sessionCache = sessionCache
        self.sessionKey = sessionKey
    }

    /// One ex_data slot for the whole process.
    static let exDataIndex: Int32 = klient_ssl_get_ex_new_index()

    func attach(to ssl: OpaquePointer) {
        SSL_set_ex_data(ssl, Self.exDataIndex, Unmanaged.passUnretained(self).toOpaque())
    }

    static func from(ssl: OpaquePointer) -> TLSConnectionCallbackState? {
        guard let raw = SSL_get_ex_data(ssl, exDataIndex) else { return nil }
        return Unmanaged<TLSConnectionCallbackState>.fromOpaque(raw).takeUnretainedValue()
    }
}

/// SSL_set_verify callback: keeps OpenSSL's verdict, but records the first
/// failure with the offending certificate so the error can say which check
/// failed and for which names or dates.
let tlsVerifyCallback: @convention(c) (Int32, OpaquePointer?) -> Int32 = { preverifyOK, store in
    guard preverifyOK == 0, let store else { return preverifyOK }
    guard let raw = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()),
          let state = TLSConnectionCallbackState.from(ssl: OpaquePointer(raw)),
          state.verifyFailure == nil else { return 0 }
    let code = X509_STORE_CTX_get_error(store)
    let depth = X509_STORE_CTX_get_error_depth(store)
    if let cert = X509_STORE_CTX_get_current_cert(store) {
        state.verifyFailure = .init(
            code: code, depth: depth,
            subject: X509Inspector.subject(cert), issuer: X509Inspector.issuer(cert),
            notBefore: X509Inspector.notBefore(cert), notAfter: X509Inspector.notAfter(cert),
            subjectAltNames: X509Inspector.subjectAltNames(cert),
            commonName: X509Inspector.commonName(cert))
    } else {
        state.verifyFailure = .init(code: code, depth: depth, subject: "?", issuer: "?",
                                    notBefore: "?", notAfter: "?", subjectAltNames: [], commonName: nil)
    }
    return 0
}

/// SSL_CTX_set_client_cert_cb: called only when the server asks for a client
/// certificate and none is configured. Notes it (so a TLS 1.2 handshake_failure
/// alert can be explained) and continues without a certificate.
let tlsClientCertificateCallback: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 = { ssl, _, _ in
    if let ssl, let state = TLSConnectionCallbackState.from(ssl: ssl) {
        state.certificateRequestedWithoutIdentity = true
    }
    return 0
}
