internal import COpenSSL

extension TLSConnection {
    /// Turns a failed SSL call into a TLSError that says what failed, in
    /// order of specificity: our own certificate verification, an alert from
    /// the peer, a missing client certificate, then OpenSSL's own reason.
    func describe(sslError: Int32, errors: [OpenSSLErrorQueue.Entry]) -> TLSError {
        let stack = errors.map(\.text)
        if let failure = verifyFailure {
            return verificationError(failure, openSSLErrors: stack)
        }
        for entry in errors where (SSL_AD_REASON_OFFSET..<(SSL_AD_REASON_OFFSET + 256)).contains(entry.reason) {
            return alertError(Int(entry.reason - SSL_AD_REASON_OFFSET), openSSLErrors: stack)
        }
        if errors.contains(where: { $0.reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE }) {
            return TLSError(.peerSentNoCertificate,
                "the client sent no certificate, but this server requires one (client certificate authentication)",
                openSSLErrors: stack)
        }
        let reason = errors.last.flatMap { ERR_reason_error_string($0.code) }.map { String(cString: $0) }
        let peer = peerName.map { " with \($0)" } ?? ""
        if sslError == SSL_ERROR_SYSCALL && errors.isEmpty {
            return TLSError(.unexpectedEOF, "connection\(peer) ended in the middle of TLS")
        }
        let kind: TLSError.Kind = isHandshakeComplete ? .protocolError : .handshakeFailed
        let phase = isHandshakeComplete ? "TLS connection\(peer) failed" : "TLS handshake\(peer) failed"
        return TLSError(kind, "\(phase): \(reason ?? "SSL error \(sslError)")", openSSLErrors: stack)
    }

    private var verifyFailure: TLSConnectionCallbackState.VerifyFailure? {
        verifyFailureFromCallback
    }

    private func verificationError(_ failure: TLSConnectionCallbackState.VerifyFailure,
                                   openSSLErrors: [String]) -> TLSError {
        let isClient = role == .client
        let whose = isClient ? "server certificate" : "client certificate"
        let fix = isClient
            ? "check certificate-authority / certificate-authority-data in the kubeconfig"
            : "the client certificate must be issued by a CA in the server's client CA bundle"
        switch failure.code {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_SIGNATURE_FAILURE:
            return TLSError(.unknownAuthority,
                "certificate signed by an unknown authority: the \(whose) \"\(failure.subject)\" is issued by "
                + "\"\(failure.issuer)\", which is not a trusted CA; \(fix)",
                openSSLErrors: openSSLErrors)
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            let host = peerName ?? "?"
            let names = failure.subjectAltNames
            let validFor = names.isEmpty
                ? "certificate has no subject alternative names (its subject CN \"\(failure.commonName ?? "")\" is not used for verification), so it is not valid for \(host)"
                : "certificate is valid for [\(names.joined(separator: ", "))], not \(host)"
            return TLSError(.hostnameMismatch,
                "\(validFor); set tls-server-name to one of the certificate's names or fix the server certificate",
                openSSLErrors: openSSLErrors)
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return TLSError(.certificateExpired,
                "certificate expired at \(failure.notAfter): the \(whose) \"\(failure.subject)\" "
                + "(valid from \(failure.notBefore)); renew the certificate or check the system clock",
                openSSLErrors: openSSLErrors)
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return TLSError(.certificateNotYetValid,
                "certificate is not valid until \(failure.notBefore): the \(whose) \"\(failure.subject)\"; "
                + "check the system clock on both sides",
                openSSLErrors: openSSLErrors)
        default:
            let reason = X509_verify_cert_error_string(Int(failure.code)).map { String(cString: $0) } ?? "error"
            return TLSError(.certificateInvalid,
                "\(whose) verification failed: \(reason) (X509 error \(failure.code), certificate "
                + "\"\(failure.subject)\" at depth \(failure.depth))",
                openSSLErrors: openSSLErrors)
        }
    }

    static let certificateRequiredMessage =
        "the server requires a client certificate but none was sent; set client-certificate and client-key (or another credential) in the kubeconfig"

    private func alertError(_ alert: Int, openSSLErrors: [String]) -> TLSError {
        let name = "\(TLSAlert.name(alert)) (\(alert))"
        let isClient = role == .client
        let message: String
        switch alert {
        case 116: // certificate_required (RFC 8446)
            message = isClient
                ? Self.certificateRequiredMessage
                : "the client requires a certificate from this server"
        case 40 where isClient && serverRequestedCertificate:
            // TLS 1.2 servers answer a missing or unacceptable client certificate with handshake_failure.
            message = context.configuration.identity == nil
                ? "\(Self.certificateRequiredMessage) (alert: \(name))"
                : "the server rejected our client certificate (alert: \(name)); check that client-certificate is issued by a CA the server trusts and has not expired"
        case 42, 43, 44, 45, 46, 48, 49:
            message = isClient
                ? "the server rejected our client certificate (alert: \(name)); check that client-certificate is issued by a CA the server trusts and has not expired"
                : "the client rejected this server's certificate (alert: \(name)); the client does not trust it or it does not match the name the client dialled"
        case 40, 70, 71:
            message = "the peer found no acceptable TLS version, cipher suite or signature algorithm (alert: \(name))"
        case 112:
            message = "the server does not serve the name we sent as SNI (alert: \(name)); check the server address or tls-server-name"
        case 120:
            message = "the peer supports none of our ALPN protocols (alert: \(name))"
        default:
            message = "the peer aborted the connection with alert: \(name)"
        }
        return TLSError(.alertReceived, message, alert: name, openSSLErrors: openSSLErrors)
    }
}
