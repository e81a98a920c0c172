/// A TLS failure, described in plain words together with what to do about it.
///
/// `kind` is for code that reacts to the failure (retry, report, reconfigure);
/// `message` is for people. The OpenSSL error stack that led to the failure is
/// kept in `openSSLErrors` for diagnostics, oldest entry first.
///
/// A struct over a kind rather than an enum with payloads, so new kinds can be
/// added without breaking exhaustive switches in callers.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The configuration could not be turned into a context (bad PEM,
        /// key not matching the certificate, missing CA, bad ALPN name).
        public static let invalidConfiguration = Kind("invalidConfiguration")
        /// The peer's certificate chain does not lead to a trusted CA.
        public static let unknownAuthority = Kind("unknownAuthority")
        /// The peer's certificate is valid but not for the name (or IP) we dialled.
        public static let hostnameMismatch = Kind("hostnameMismatch")
        /// A certificate in the peer's chain is past its notAfter time.
        public static let certificateExpired = Kind("certificateExpired")
        /// A certificate in the peer's chain is before its notBefore time.
        public static let certificateNotYetValid = Kind("certificateNotYetValid")
        /// Any other X.509 verification failure (bad signature, wrong key usage, ...).
        public static let certificateInvalid = Kind("certificateInvalid")
        /// Server side: the client sent no certificate although one is required.
        public static let peerSentNoCertificate = Kind("peerSentNoCertificate")
        /// The peer aborted the connection with a TLS alert (e.g. it rejected our certificate).
        public static let alertReceived = Kind("alertReceived")
        /// The handshake failed for another reason (no common version or cipher, ...).
        public static let handshakeFailed = Kind("handshakeFailed")
        /// A TLS protocol error after the handshake (bad record MAC, ...).
        public static let protocolError = Kind("protocolError")
        /// The underlying stream ended without a TLS close_notify.
        public static let unexpectedEOF = Kind("unexpectedEOF")
        /// The stream was closed or shut down for writing and cannot be used for this.
        public static let closed = Kind("closed")
        /// Creating a key or certificate failed (CertificateAuthority).
        public static let certificateGeneration = Kind("certificateGeneration")
        /// Writing a certificate or key file failed.
        public static let fileWrite = Kind("fileWrite")
    }

    /// What went wrong, for code.
    public let kind: Kind
    /// What went wrong and what to do, for people.
    public let message: String
    /// The TLS alert involved, if any: the one received from the peer for
    /// `.alertReceived`, e.g. "certificate required (116)".
    public let alert: String?
    /// OpenSSL's error queue at the time of failure, oldest first.
    public let openSSLErrors: [String]

    public init(_ kind: Kind, _ message: String, alert: String? = nil, openSSLErrors: [String] = []) {
        self.kind = kind
        self.message = message
        self.alert = alert
        self.openSSLErrors = openSSLErrors
    }

    public var description: String {
        if openSSLErrors.isEmpty { return "TLS: \(message)" }
        return "TLS: \(message) [OpenSSL: \(openSSLErrors.joined(separator: "; "))]"
    }
}
