/// What a completed handshake negotiated and whom it authenticated.
public struct TLSHandshakeInfo: Sendable, Equatable {
    /// "TLSv1.3" or "TLSv1.2".
    public var protocolVersion: String
    /// IANA/OpenSSL cipher suite name, e.g. "TLS_AES_256_GCM_SHA384".
    public var cipherSuite: String
    /// The ALPN protocol both sides agreed on, or nil if none was negotiated.
    public var alpnProtocol: String?
    /// True when an earlier session was resumed (no certificate exchange).
    public var sessionResumed: Bool
    /// Client: the SNI name we sent. Server: the SNI name the client sent;
    /// nil when it sent none (as for IP literals).
    public var serverName: String?
    /// Subject CN of the peer's certificate (server side: the client user
    /// name for certificate authentication); nil if the peer sent none.
    public var peerCommonName: String?
    /// Subject O values of the peer's certificate (Kubernetes groups).
    public var peerOrganizations: [String]
    /// DNS names and IP addresses of the peer certificate's subjectAltName.
    public var peerSubjectAltNames: [String]

    public init(protocolVersion: String, cipherSuite: String, alpnProtocol: String?, sessionResumed: Bool,
                serverName: String?, peerCommonName: String?, peerOrganizations: [String],
                peerSubjectAltNames: [String]) {
        self.protocolVersion = protocolVersion
        self.cipherSuite = cipherSuite
        self.alpnProtocol = alpnProtocol
        self.sessionResumed = sessionResumed
        self.serverName = serverName
        self.peerCommonName = peerCommonName
        self.peerOrganizations = peerOrganizations
        self.peerSubjectAltNames = peerSubjectAltNames
    }
}
