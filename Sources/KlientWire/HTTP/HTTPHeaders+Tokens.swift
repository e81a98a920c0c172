extension HTTPHeaders {
    /// The comma-separated list elements of every `name` field (RFC 9110 §5.6.1),
    /// trimmed of whitespace, empty elements dropped, in order. Case is kept.
    public func tokens(for name: String) -> [String] {
        var result: [String] = []
        for value in values(for: name) {
            for element in value.split(separator: ",", omittingEmptySubsequences: true) {
                let trimmed = HTTPSyntax.trimmingWhitespace(element)
                if !trimmed.isEmpty { result.append(trimmed) }
            }
        }
        return result
    }

    /// Whether the comma-separated list in the `name` fields contains `token`,
    /// compared case-insensitively: `containsToken("connection", "upgrade")` is
    /// true for `Connection: keep-alive, Upgrade`.
    public func containsToken(_ name: String, _ token: String) -> Bool {
        for value in values(for: name) {
            for element in value.split(separator: ",", omittingEmptySubsequences: true) {
                if Self.namesEqual(HTTPSyntax.trimmingWhitespace(element), token) { return true }
            }
        }
        return false
    }

    /// Whether a message with these headers and `version` leaves the connection
    /// open (RFC 9112 §9.3): `Connection: close` always ends it, HTTP/1.1 is
    /// persistent by default, HTTP/1.0 only with `Connection: keep-alive`.
    public func isKeepAlive(version: HTTPVersion) -> Bool {
        if containsToken("connection", "close") { return false }
        return version.defaultsToKeepAlive || containsToken("connection", "keep-alive")
    }
}
