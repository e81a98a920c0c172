import Glibc

/// Recognizes IPv4 and IPv6 literals, which get no SNI and are verified
/// against IP subjectAltNames.
enum IPAddressLiteral {
    /// "[::1]" → "::1"; other strings unchanged.
    static func stripBrackets(_ host: String) -> String {
        if host.hasPrefix("["), host.hasSuffix("]"), host.count >= 2 {
            return String(host.dropFirst().dropLast())
        }
        return host
    }

    /// The address without an IPv6 zone ("fe80::1%eth0" → "fe80::1"), if
    /// `host` is an IP literal; nil for DNS names.
    static func verifiableForm(of host: String) -> String? {
        var buffer = in6_addr()
        if inet_pton(AF_INET, host, &buffer) == 1 { return host }
        let address = host.split(separator: "%", maxSplits: 1).first.map(String.init) ?? host
        if inet_pton(AF_INET6, address, &buffer) == 1 { return address }
        return nil
    }
}
