internal import COpenSSL
internal import CKlientShims
import Glibc

/// One TLS session as a pure state machine over in-memory buffers (a small
/// custom BIO, see TLSBufferBIO): no I/O.
///
/// Ciphertext received from the peer goes in with `feed`; `handshake()` and
/// `readPlaintext` make progress and report when they need more ciphertext;
/// plaintext goes in with `writePlaintext`; whatever OpenSSL wants sent
/// (handshake flights, records, alerts, close_notify) comes out of
/// `takeCiphertext`. The caller moves bytes; this type never waits.
///
/// Not thread-safe: the owner serializes all calls (TLSStream does so with a
/// mutex). OpenSSL's error queue is thread-local, so every SSL call clears it
/// first and reads `SSL_get_error` right after, on the same thread.
///
/// Client verification (unless insecure): the chain must lead to a trusted
/// CA, and the certificate must be valid for the dialled host or the
/// `serverName` override (RFC 6125; subject CN is never used, as in Go). For
/// an IP literal no SNI is sent (RFC 6066 §3) and an IP subjectAltName must match.
public final class TLSConnection {
    public enum HandshakeProgress: Sendable, Equatable {
        /// Send `takeCiphertext()`, then feed the peer's reply and call again.
        case needsMoreData
        case complete
    }

    public enum ReadResult: Sendable, Equatable {
        case bytes([UInt8])
        /// Feed more ciphertext (and send any pending ciphertext first).
        case needsMoreData
        /// The peer sent close_notify: orderly end of its data.
        case closed
    }

    public let role: TLSConfiguration.Role
    public let context: TLSContext
    /// Client: the name verified (the `serverName` override or the host).
    public let peerName: String?

    private let ssl: OpaquePointer
    private let buffers = TLSBufferBIO()
    private let callbackState: TLSConnectionCallbackState
    private let usesVerification: Bool
    private var handshakeDone = false
    private var failure: TLSError?
    public private(set) var receivedCloseNotify = false
    public private(set) var sentCloseNotify = false

    /// A client connection to `host` (DNS name or IPv4/IPv6 literal, brackets
    /// allowed) on `port`. Sessions are cached under host, port and the
    /// verified name, so the next connection to the same peer resumes.
    public static func client(context: TLSContext, host: String, port: Int) throws -> TLSConnection {
        guard context.configuration.role == .client else {
            throw TLSError(.invalidConfiguration, "TLSConnection.client needs a client context")
        }
        return try TLSConnection(context: context, host: host, port: port)
    }

    /// A server connection; the client's SNI (if any) shows in `handshakeInfo.serverName`.
    public static func server(context: TLSContext) throws -> TLSConnection {
        guard context.configuration.role == .server else {
            throw TLSError(.invalidConfiguration, "TLSConnection.server needs a server context")
        }
        return try TLSConnection(context: context, host: nil, port: nil)
    }

    private init(context: TLSContext, host: String?, port: Int?) throws {
        self.context = context
        self.role = context.configuration.role
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.pointer) else {
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not create an SSL object")
        }
        guard let rbio = TLSBufferBIO.makeBIO(buffers) else {
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not create the connection's BIO")
        }
        guard let wbio = TLSBufferBIO.makeBIO(buffers) else {
            BIO_free(rbio)
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error(.invalidConfiguration, "could not create the connection's BIO")
        }
        SSL_set_bio(ssl, rbio, wbio) // ssl owns both now; `buffers` outlives ssl (freed in deinit)
        self.ssl = ssl

        var sessionKey: String?
        var peerName: String?
        let configuration = context.configuration
        if let host {
            let dialled = IPAddressLiteral.stripBrackets(host)
            let name = configuration.serverName.map(IPAddressLiteral.stripBrackets) ?? dialled
            guard !name.isEmpty else {
                SSL_free(ssl)
                throw TLSError(.invalidConfiguration, "empty host name")
            }
            peerName = name
            sessionKey = "\(dialled):\(port ?? 0)/\(name)"
        }
        self.peerName = peerName
        callbackState = TLSConnectionCallbackState(sessionCache: context.sessionCache, sessionKey: sessionKey)
        callbackState.attach(to: ssl)
        usesVerification = context.verifyMode != SSL_VERIFY_NONE
        SSL_set_verify(ssl, context.verifyMode, tlsVerifyCallback)

        if role == .client, let name = peerName {
            SSL_set_connect_state(ssl)
            try configureClientName(name, verify: !configuration.insecureSkipVerify)
            if let key = sessionKey, let session = context.sessionCache?.session(for: key) {
                SSL_set_session(ssl, session.pointer) // takes its own reference
            }
        } else {
            SSL_set_accept_state(ssl)
        }
    }

    deinit {
        // SSL_free marks the session non-resumable unless close_notify was
        // sent, and the cached session is this very object. HTTP clients
        // routinely drop idle connections without close_notify, so a healthy
        // connection counts as cleanly shut down; a failed one does not.
        if failure == nil && handshakeDone {
            SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN)
        }
        SSL_free(ssl) // frees both BIOs; callbackState is released after this
    }

    private func configureClientName(_ name: String, verify: Bool) throws {
        OpenSSLErrorQueue.clear()
        if let ip = IPAddressLiteral.verifiableForm(of: name) {
            // RFC 6066 §3: literal IPv4/IPv6 addresses are not permitted in SNI.
            if verify {
                guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip) == 1 else {
                    throw OpenSSLErrorQueue.error(.invalidConfiguration, "invalid IP address \(name)")
                }
            }
        } else {
            guard klient_ssl_set_tlsext_host_name(ssl, name) == 1 else {
                throw OpenSSLErrorQueue.error(.invalidConfiguration, "invalid server name \(name) for SNI")
            }
            if verify {
                // Like Go and kubectl: never fall back to the subject CN; no "f*o.example" wildcards.
                SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                guard SSL_set1_host(ssl, name) == 1 else {
                    throw OpenSSLErrorQueue.error(.invalidConfiguration, "invalid server name \(name)")
                }
            }
        }
    }

    // MARK: Ciphertext in and out

    /// Hands ciphertext received from the peer to OpenSSL (copies it).
    public func feed(_ ciphertext: UnsafeRawBufferPointer) {
        buffers.append(Array(ciphertext))
    }

    /// Hands ciphertext received from the peer to OpenSSL (no copy).
    public func feed(_ ciphertext: [UInt8]) {
        buffers.append(ciphertext)
    }

    /// Bytes of ciphertext waiting to be sent to the peer.
    public var pendingCiphertextCount: Int { buffers.outbound.count }

    /// Removes and returns all ciphertext waiting to be sent, in order (no copy).
    public func takeCiphertext() -> [UInt8] {
        buffers.takeOutbound()
    }

    // MARK: Handshake

    public var isHandshakeComplete: Bool { handshakeDone }

    /// Advances the handshake with the ciphertext fed so far. After each call,
    /// send `takeCiphertext()` (also after a throw: it may hold an alert).
    ///
    /// - Throws: `TLSError` saying which verification failed (unknown
    ///   authority, hostname mismatch, expired, ...), which alert the peer
    ///   sent, or that the peer sent no certificate when one was required.
    public func handshake() throws -> HandshakeProgress {
        if let failure { throw failure }
        if handshakeDone { return .complete }
        OpenSSLErrorQueue.clear()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            handshakeDone = true
            return .complete
        }
        let code = SSL_get_error(ssl, rc)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return .needsMoreData }
        throw fail(code)
    }

    /// Negotiated parameters and the peer's identity; nil before the handshake completes.
    public var handshakeInfo: TLSHandshakeInfo? {
        guard handshakeDone else { return nil }
        var alpnData: UnsafePointer<UInt8>?
        var alpnLength: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &alpnData, &alpnLength)
        let alpn = alpnData.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(alpnLength)), as: UTF8.self) }
        let peer = SSL_get0_peer_certificate(ssl)
        return TLSHandshakeInfo(
            protocolVersion: String(cString: SSL_get_version(ssl)),
            cipherSuite: SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "",
            alpnProtocol: alpn,
            sessionResumed: klient_ssl_session_reused(ssl) == 1,
            serverName: SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) },
            peerCommonName: peer.flatMap(X509Inspector.commonName),
            peerOrganizations: peer.map(X509Inspector.organizations) ?? [],
            peerSubjectAltNames: peer.map(X509Inspector.subjectAltNames) ?? [])
    }

    // MARK: Plaintext

    /// Decrypts up to `maxBytes` of plaintext from the ciphertext fed so far.
    /// Post-handshake messages (TLS 1.3 session tickets, key updates) are
    /// processed on the way and may leave ciphertext to send.
    ///
    /// - Throws: `TLSError` for an alert from the peer (e.g. "certificate
    ///   required" after a TLS 1.3 handshake) or a corrupt record.
    public func readPlaintext(maxBytes: Int) throws -> ReadResult {
        precondition(maxBytes > 0, "maxBytes must be positive")
        if let failure { throw failure }
        if receivedCloseNotify { return .closed }
        // Plaintext available is at most what OpenSSL holds decrypted plus the
        // undecrypted bytes; size the buffer to that so small reads stay small.
        let available = Int(SSL_pending(ssl)) + buffers.inboundCount
        let capacity = min(maxBytes, max(available, 16 * 1024))
        var lastError: Int32 = SSL_ERROR_NONE
        let plaintext = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            while count < capacity {
                var n = 0
                OpenSSLErrorQueue.clear()
                let rc = SSL_read_ex(ssl, buffer.baseAddress! + count, capacity - count, &n)
                if rc == 1 {
                    count += n
                } else {
                    lastError = SSL_get_error(ssl, rc)
                    break
                }
            }
        }
        if lastError == SSL_ERROR_WANT_READ || lastError == SSL_ERROR_NONE {
            answerKeyUpdateRequest()
        }
        switch lastError {
        case SSL_ERROR_NONE, SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return plaintext.isEmpty ? .needsMoreData : .bytes(plaintext)
        case SSL_ERROR_ZERO_RETURN:
            receivedCloseNotify = true
            return plaintext.isEmpty ? .closed : .bytes(plaintext)
        default:
            let error = fail(lastError)
            // Hand out what was decrypted before the failure; report it next time.
            if !plaintext.isEmpty { return .bytes(plaintext) }
            throw error
        }
    }

    /// OpenSSL queues its answer to a peer's KeyUpdate request until the next
    /// write; a reader that never writes would leave the peer waiting, so
    /// the answer is produced now and goes out with the reader's flush.
    private func answerKeyUpdateRequest() {
        guard handshakeDone, !sentCloseNotify, SSL_get_key_update_type(ssl) == SSL_KEY_UPDATE_NOT_REQUESTED else { return }
        OpenSSLErrorQueue.clear()
        // Re-queueing the same pending update puts OpenSSL "in init", which
        // lets SSL_do_handshake write it; it is still sent only once.
        if SSL_key_update(ssl, SSL_KEY_UPDATE_NOT_REQUESTED) == 1 {
            _ = SSL_do_handshake(ssl) // errors resurface on the next read or write
        }
        OpenSSLErrorQueue.clear()
    }

    /// Encrypts plaintext into records (then call `takeCiphertext()`).
    /// Returns how many bytes were consumed: always all of them (the outbound
    /// buffer is unbounded; the owner applies backpressure by chunking).
    ///
    /// - Throws: `.closed` after `close()`; a `TLSError` if the connection failed.
    @discardableResult
    public func writePlaintext(_ plaintext: UnsafeRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        if sentCloseNotify {
            throw TLSError(.closed, "cannot write after the TLS connection was shut down for writing")
        }
        guard let base = plaintext.baseAddress, plaintext.count > 0 else { return 0 }
        // Room for the records (TLS 1.3 adds 22 bytes to each 16 KiB record)
        // so appending them does not reallocate repeatedly.
        buffers.outbound.reserveCapacity(buffers.outbound.count + plaintext.count + (plaintext.count / 16384 + 1) * 64)
        var offset = 0
        while offset < plaintext.count {
            var n = 0
            OpenSSLErrorQueue.clear()
            let rc = SSL_write_ex(ssl, base + offset, plaintext.count - offset, &n)
            if rc == 1 {
                offset += n
                continue
            }
            let code = SSL_get_error(ssl, rc)
            if code == SSL_ERROR_WANT_WRITE || code == SSL_ERROR_WANT_READ { break }
            throw fail(code)
        }
        return offset
    }

    /// Encrypts `parts` as one byte sequence without first joining them: the
    /// leading parts are gathered into the first record (at most one record's
    /// worth of copying), the rest of the last part is encrypted in place.
    /// Returns the number of bytes accepted (less than the total only when
    /// OpenSSL cannot take more now).
    @discardableResult
    public func writePlaintext(parts: [[UInt8]]) throws -> Int {
        guard let last = parts.last else { return 0 }
        let record = 16 * 1024
        var head: [UInt8] = []
        for part in parts.dropLast() { head.append(contentsOf: part) }
        let fromLast = head.isEmpty ? 0 : min(last.count, max(0, record - head.count % record))
        head.append(contentsOf: last[..<fromLast])
        let written = try writePlaintext(head)
        guard written == head.count else { return written }
        return try last.withUnsafeBytes { raw in
            written + (try writePlaintext(UnsafeRawBufferPointer(rebasing: raw[fromLast...])))
        }
    }

    @discardableResult
    public func writePlaintext(_ plaintext: [UInt8]) throws -> Int {
        try plaintext.withUnsafeBytes { try writePlaintext($0) }
    }

    /// Queues a TLS 1.3 KeyUpdate that also asks the peer to update its keys
    /// (RFC 8446 §4.6.3); send `takeCiphertext()` afterwards. The peer's
    /// answer is produced by its next read, which must send it.
    ///
    /// - Throws: `TLSError` if the connection is not TLS 1.3 or not established.
    public func requestKeyUpdate() throws {
        if let failure { throw failure }
        guard handshakeDone, !sentCloseNotify else {
            throw TLSError(.closed, "key update needs an established connection that is still writable")
        }
        OpenSSLErrorQueue.clear()
        guard SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED) == 1 else {
            throw OpenSSLErrorQueue.error(.protocolError, "key update is only available with TLS 1.3")
        }
        // Sends the KeyUpdate now rather than with the next record.
        let rc = SSL_do_handshake(ssl)
        if rc != 1 {
            let code = SSL_get_error(ssl, rc)
            if code != SSL_ERROR_WANT_READ && code != SSL_ERROR_WANT_WRITE { throw fail(code) }
        }
    }

    /// Queues close_notify (RFC 8446 §6.1); send `takeCiphertext()` afterwards.
    /// Later writes throw `.closed`; reading the peer's remaining data still works.
    public func close() {
        guard !sentCloseNotify else { return }
        sentCloseNotify = true
        guard handshakeDone, failure == nil else { return }
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl) // 0: sent ours, the peer's has not arrived: fine.
        OpenSSLErrorQueue.clear()
    }

    // MARK: Errors

    /// The first verification failure: from the callback, which saw the
    /// certificate, or else only the code OpenSSL kept.
    var verifyFailureFromCallback: TLSConnectionCallbackState.VerifyFailure? {
        if let failure = callbackState.verifyFailure { return failure }
        let result = Int32(SSL_get_verify_result(ssl))
        guard usesVerification, result != X509_V_OK else { return nil }
        return .init(code: result, depth: 0, subject: "?", issuer: "?", notBefore: "?", notAfter: "?",
                     subjectAltNames: [], commonName: nil)
    }

    /// Client: whether the server asked for a certificate (it sent a
    /// CertificateRequest, seen through the callback or its CA list).
    var serverRequestedCertificate: Bool {
        if callbackState.certificateRequestedWithoutIdentity { return true }
        guard role == .client, let names = SSL_get_client_CA_list(ssl) else { return false }
        return OPENSSL_sk_num(names) > 0
    }

    /// Builds the error for a failed SSL call and makes it sticky: OpenSSL
    /// does not allow further use of a connection after a fatal error.
    private func fail(_ sslError: Int32) -> TLSError {
        let error = describe(sslError: sslError, errors: OpenSSLErrorQueue.drain())
        failure = error
        return error
    }
}
