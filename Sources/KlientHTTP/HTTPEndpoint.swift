import KlientTLS

/// Where requests go and how the connection is authenticated: scheme, host,
/// port, the TLS context (trust, client certificate, server name) and an
/// opaque credentials identity. Connections are pooled per endpoint, so two
/// users of one API server never share a connection.
public struct HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable {
        case http, https
        public var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public var scheme: Scheme
    /// Host name or IP literal (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// TLS settings for `https`; ignored for `http`.
    public var tls: TLSContext?
    /// Identifies the credentials used on this endpoint's connections (for
    /// example a hash of the token): part of the pool key. Never a secret.
    public var credentialsID: String

    public init(scheme: Scheme, host: String, port: Int? = nil, tls: TLSContext? = nil, credentialsID: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
        self.tls = tls
        self.credentialsID = credentialsID
    }

    /// Parses `http://host[:port]` or `https://host[:port]` (a path is ignored);
    /// `ws`/`wss` are accepted as `http`/`https`.
    /// - Throws: ``HTTPClientError/invalidURL(_:reason:)`` saying what is wrong.
    public init(url: String, tls: TLSContext? = nil, credentialsID: String = "") throws(HTTPClientError) {
        let parsed = try HTTPURL(url)
        self.init(scheme: parsed.scheme, host: parsed.host, port: parsed.port, tls: tls, credentialsID: credentialsID)
    }

    /// The value of the `Host` header: host (bracketed if IPv6) plus the port
    /// when it is not the scheme's default.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? h : "\(h):\(port)"
    }

    public var description: String { "\(scheme.rawValue)://\(hostHeader)" }

    public static func == (a: HTTPEndpoint, b: HTTPEndpoint) -> Bool {
        a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.credentialsID == b.credentialsID
            && a.tls.map(ObjectIdentifier.init) == b.tls.map(ObjectIdentifier.init)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scheme)
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(credentialsID)
        hasher.combine(tls.map(ObjectIdentifier.init))
    }
}

/// A parsed absolute URL: just the parts an HTTP client needs.
public struct HTTPURL: Sendable, Hashable {
    public var scheme: HTTPEndpoint.Scheme
    public var host: String
    public var port: Int
    /// Path plus query, always starting with "/".
    public var target: String

    /// - Throws: ``HTTPClientError/invalidURL(_:reason:)``.
    public init(_ text: String) throws(HTTPClientError) {
        func fail(_ reason: String) -> HTTPClientError { .invalidURL(String(text.prefix(200)), reason: reason) }
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail("missing scheme (expected http:// or https://)") }
        switch parts[0].lowercased() {
        case "http", "ws": scheme = .http
        case "https", "wss": scheme = .https
        case let other: throw fail("unsupported scheme \"\(other)\" (expected http or https)")
        }
        let rest = parts[1]
        let authorityEnd = rest.firstIndex(where: { (c: Character) in c == "/" || c == "?" || c == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if authority.contains("@") { throw fail("user information in URLs is not supported") }
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty || target.first == "?" { target = "/" + target }
        self.target = target
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw fail("unterminated IPv6 literal") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw fail("unexpected text after IPv6 literal") }
                portText = after.dropFirst()
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                portText = authority[authority.index(after: colon)...]
                authority = authority[..<colon]
            }
            host = String(authority)
        }
        guard !host.isEmpty else { throw fail("missing host") }
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw fail("invalid port \"\(portText)\"") }
            port = p
        } else {
            port = scheme.defaultPort
        }
    }
}
