internal import COpenSSL
internal import CKlientShims

/// An OpenSSL context (SSL_CTX) built once from a `TLSConfiguration` and
/// shared by many connections: it holds the trust store, our identity, the
/// ALPN list and, for clients, the session cache that makes reconnects resume.
///
/// Thread-safe: the SSL_CTX is not modified after `init`, and OpenSSL locks
/// what connections share (refcounts, store); the session cache has its own lock.
public final class TLSContext: @unchecked Sendable {
    public let configuration: TLSConfiguration

    let pointer: OpaquePointer
    /// Client contexts only.
    let sessionCache: TLSSessionCache?
    /// SSL_VERIFY_* flags applied to each connection.
    let verifyMode: Int32
    private let alpnList: ALPNList?

    /// Builds the context.
    ///
    /// - Throws: `TLSError` of kind `.invalidConfiguration` naming what was
    ///   wrong, e.g. "no certificate found in CA PEM", "client key does not
    ///   match certificate", "a server needs an identity".
    public init(configuration: TLSConfiguration) throws {
        self.configuration = configuration
        let isClient = configuration.role == .client
        OpenSSLErrorQueue.clear()
        guard let ctx = SSL_CTX_new(isClient ? TLS_client_method() : TLS_server_method()) else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not create an OpenSSL context")
        }
        // From here on, a throw must free ctx; deinit does not run for a failed init.
        var ok = false
        defer { if !ok { SSL_CTX_free(ctx) } }

        // RFC 8996: TLS 1.0 and 1.1 are never negotiated.
        guard klient_ssl_ctx_set_min_proto_version(ctx, TLS1_2_VERSION) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not set the minimum TLS version")
        }
        if configuration.maximumVersion == .tls12 {
            SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        }
        // Partial writes let a large plaintext become records incrementally;
        // moving buffers because Swift arrays may be reallocated between retries.
        // RELEASE_BUFFERS: an idle connection gives its 16+ KiB record buffers back (klientd keeps hundreds idle).
        _ = klient_ssl_ctx_set_mode(ctx, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
        // AES-128-GCM first (fastest with AES-NI, as Go prefers it); TLS 1.2
        // only with forward-secret AEAD suites.
        guard SSL_CTX_set_ciphersuites(ctx, Self.tls13CipherSuites) == 1,
              SSL_CTX_set_cipher_list(ctx, Self.tls12CipherList) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not set the cipher suites")
        }
        // Renegotiation is a needless attack surface (TLS 1.3 removed it).
        SSL_CTX_set_options(ctx, UInt64(1) << 30 /* SSL_OP_NO_RENEGOTIATION */)

        if let identity = configuration.identity {
            try Self.useIdentity(identity, on: ctx, who: isClient ? "client" : "server")
        } else if !isClient {
            throw TLSError(.invalidConfiguration, "a server needs an identity (certificate chain and private key)")
        }

        if isClient {
            if !configuration.insecureSkipVerify {
                switch configuration.trustRoots {
                case .systemDefault:
                    guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                        throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not load the system CA store")
                    }
                case .pem(let pem):
                    try Self.trust(pem, on: ctx, what: "CA", advertise: false)
                }
            }
            verifyMode = configuration.insecureSkipVerify ? SSL_VERIFY_NONE : SSL_VERIFY_PEER
            let cache = TLSSessionCache()
            sessionCache = cache
            _ = klient_ssl_ctx_set_session_cache_mode(
                ctx, Int(SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE))
            SSL_CTX_sess_set_new_cb(ctx, tlsNewSessionCallback)
            SSL_CTX_set_client_cert_cb(ctx, tlsClientCertificateCallback)
        } else {
            sessionCache = nil
            switch configuration.clientCertificate {
            case .none:
                verifyMode = SSL_VERIFY_NONE
            case .optional, .required:
                guard let pem = configuration.clientCertificateAuthorityPEM else {
                    throw TLSError(.invalidConfiguration,
                        "client certificates are requested but no client CA PEM is configured")
                }
                try Self.trust(pem, on: ctx, what: "client CA", advertise: true)
                verifyMode = configuration.clientCertificate == .required
                    ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                    : SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE
            }
            // Resumption with client verification needs a session id context.
            let sid: [UInt8] = Array("klient".utf8)
            SSL_CTX_set_session_id_context(ctx, sid, UInt32(sid.count))
        }

        if configuration.alpnProtocols.isEmpty {
            alpnList = nil
        } else {
            let list = try ALPNList(configuration.alpnProtocols)
            alpnList = list
            if isClient {
                // Returns 0 on success, unlike most of OpenSSL.
                let failed = list.wire.withUnsafeBufferPointer {
                    SSL_CTX_set_alpn_protos(ctx, $0.baseAddress, UInt32($0.count))
                }
                guard failed == 0 else {
                    throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not set ALPN protocols")
                }
            } else {
                SSL_CTX_set_alpn_select_cb(ctx, tlsALPNSelectCallback, Unmanaged.passUnretained(list).toOpaque())
            }
        }
        pointer = ctx
        ok = true
    }

    deinit { SSL_CTX_free(pointer) }

    static let tls13CipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    static let tls12CipherList = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// Number of peers with a cached session (clients; 0 for servers).
    public var cachedSessionCount: Int { sessionCache?.count ?? 0 }

    private static func useIdentity(_ identity: TLSConfiguration.Identity, on ctx: OpaquePointer, who: String) throws {
        let certs = try PEM.certificates(identity.certificateChainPEM)
        defer { certs.forEach { X509_free($0) } }
        guard let leaf = certs.first else {
            throw TLSError(.invalidConfiguration, "no certificate found in \(who) certificate PEM")
        }
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate(ctx, leaf) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "\(who) certificate is not usable")
        }
        for intermediate in certs.dropFirst() {
            // SSL_CTX_add1_chain_cert
            guard SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 1, UnsafeMutableRawPointer(intermediate)) == 1 else {
                throw OpenSSLErrorQueue.error(.invalidConfiguration, "\(who) certificate chain is not usable")
            }
        }
        let key = try PEM.privateKey(identity.privateKeyPEM, what: "\(who) key")
        defer { EVP_PKEY_free(key) }
        // use_PrivateKey itself refuses a key of the certificate's type that does not match it.
        guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration,
                "\(who) key does not match certificate (check \(who == "client" ? "client-key / client-certificate" : "the server key and certificate files"))")
        }
    }

    /// Adds every certificate of a PEM bundle to the context's trust store;
    /// for servers also advertises their names in the CertificateRequest.
    private static func trust(_ pem: [UInt8], on ctx: OpaquePointer, what: String, advertise: Bool) throws {
        let certs = try PEM.certificates(pem)
        defer { certs.forEach { X509_free($0) } }
        guard !certs.isEmpty else {
            throw TLSError(.invalidConfiguration,
                "no certificate found in \(what) PEM (expected one or more BEGIN CERTIFICATE blocks)")
        }
        guard let store = SSL_CTX_get_cert_store(ctx) else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "context has no certificate store")
        }
        OpenSSLErrorQueue.clear()
        for cert in certs {
            // A duplicate in the bundle is harmless; OpenSSL 3 accepts it silently.
            guard X509_STORE_add_cert(store, cert) == 1 else {
                throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not add a \(what) certificate to the trust store")
            }
            if advertise { _ = SSL_CTX_add_client_CA(ctx, cert) }
        }
    }
}

/// SSL_CTX_set_alpn_select_cb: picks our most preferred protocol the client
/// offered; if there is none, continues without ALPN (lenient, like most servers).
private let tlsALPNSelectCallback: @convention(c) (
    OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
    UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
) -> Int32 = { _, out, outLength, offered, offeredLength, arg in
    guard let arg, let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
    let list = Unmanaged<ALPNList>.fromOpaque(arg).takeUnretainedValue()
    let buffer = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
    guard let (offset, length) = list.select(from: buffer) else { return SSL_TLSEXT_ERR_NOACK }
    out.pointee = offered + offset
    outLength.pointee = UInt8(length)
    return SSL_TLSEXT_ERR_OK
}

/// SSL_CTX_sess_set_new_cb: a client received a resumable session (TLS 1.2
/// at handshake end, TLS 1.3 with each NewSessionTicket). Stores it in the
/// owning context's cache under the connection's peer key. Returning 1 means
/// we keep the reference OpenSSL handed us.
private let tlsNewSessionCallback: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32 = { ssl, session in
    guard let ssl, let session, let owner = TLSConnectionCallbackState.from(ssl: ssl),
          let cache = owner.sessionCache, let key = owner.sessionKey,
          SSL_SESSION_is_resumable(session) == 1 else { return 0 }
    cache.store(TLSSessionCache.Session(taking: session), for: key)
    return 1
}
