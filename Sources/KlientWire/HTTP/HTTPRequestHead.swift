/// The start line and header section of an HTTP/1.1 request (RFC 9112 §3).
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: HTTPMethod
    /// The request-target exactly as on the wire, usually origin-form (`/api/v1/pods?watch=1`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// Whether the client lets the connection stay open after this exchange
    /// (RFC 9112 §9.3).
    public var isKeepAlive: Bool { headers.isKeepAlive(version: version) }

    /// Whether the client asks to switch protocols: an `Upgrade` field listed in
    /// `Connection` (RFC 9110 §7.8). ``HTTPRequestDecoder`` pauses after such a
    /// request until the server accepts or declines.
    public var isUpgradeRequest: Bool {
        headers.contains(name: "upgrade") && headers.containsToken("connection", "upgrade")
    }
}
