#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims

/// An IPv4, IPv6 or Unix-domain socket address.
///
/// Textual forms (``init(parsing:)`` and ``description``): `127.0.0.1:80`,
/// `[::1]:80` (optionally `[fe80::1%eth0]:80`), `unix:/path/to.sock`, and
/// `unix:@name` for the Linux abstract namespace. Only numeric hosts: name
/// resolution is not done here.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        case ipv4, ipv6, unix
    }

    enum Storage: Hashable {
        case ipv4(octets: [UInt8], port: UInt16)
        case ipv6(octets: [UInt8], port: UInt16, scopeID: UInt32)
        /// A filesystem path, or an abstract name when it starts with "@".
        case unix(path: String)
    }

    /// Why a textual address was rejected.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String {
            "invalid socket address \"\(input)\": \(reason); expected HOST:PORT, [IPv6]:PORT or unix:/path"
        }
    }

    /// `sun_path` holds 108 bytes including the terminating NUL.
    public static let maximumUnixPathLength = 107

    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    /// An IPv4 address from a dotted-quad literal.
    /// - Throws: ``ParseError`` if `host` is not an IPv4 literal.
    public static func ipv4(_ host: String, port: UInt16) throws(ParseError) -> SocketAddress {
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw ParseError(input: host, reason: "not an IPv4 address")
        }
        return SocketAddress(.ipv4(octets: withUnsafeBytes(of: address) { Array($0) }, port: port))
    }

    /// An IPv6 address from a literal without brackets, optionally with `%scope`.
    /// - Throws: ``ParseError`` if `host` is not an IPv6 literal or the scope is unknown.
    public static func ipv6(_ host: String, port: UInt16) throws(ParseError) -> SocketAddress {
        var literal = Substring(host)
        var scopeID: UInt32 = 0
        if let percent = literal.firstIndex(of: "%") {
            let scope = String(literal[literal.index(after: percent)...])
            literal = literal[..<percent]
            if let number = UInt32(scope) {
                scopeID = number
            } else {
                scopeID = if_nametoindex(scope)
                guard scopeID != 0 else { throw ParseError(input: host, reason: "unknown interface \"\(scope)\"") }
            }
        }
        var address = in6_addr()
        guard inet_pton(AF_INET6, String(literal), &address) == 1 else {
            throw ParseError(input: host, reason: "not an IPv6 address")
        }
        return SocketAddress(.ipv6(octets: withUnsafeBytes(of: address) { Array($0) }, port: port, scopeID: scopeID))
    }

    /// A Unix-domain address; a leading "@" names the abstract namespace.
    /// - Throws: ``ParseError`` if the path is empty, too long for `sun_path`
    ///   (107 bytes) or contains NUL.
    public static func unix(path: String) throws(ParseError) -> SocketAddress {
        guard !path.isEmpty else { throw ParseError(input: "unix:", reason: "the path is empty") }
        guard path.utf8.count <= maximumUnixPathLength else {
            throw ParseError(input: "unix:" + path,
                             reason: "the path is \(path.utf8.count) bytes, longer than the \(maximumUnixPathLength) a Unix socket allows; use a shorter path")
        }
        guard !path.utf8.contains(0) else { throw ParseError(input: "unix:" + path, reason: "the path contains NUL") }
        return SocketAddress(.unix(path: path))
    }

    /// A numeric IPv4 or IPv6 host (no brackets) and a port.
    /// - Throws: ``ParseError`` if `host` is neither literal.
    public init(host: String, port: UInt16) throws(ParseError) {
        if host.contains(":") {
            self = try .ipv6(host, port: port)
        } else {
            self = try .ipv4(host, port: port)
        }
    }

    /// Parses `127.0.0.1:80`, `[::1]:80`, `unix:/path` or `unix:@abstract`.
    /// - Throws: ``ParseError`` naming what is wrong.
    public init(parsing text: String) throws(ParseError) {
        if text.hasPrefix("unix:") {
            self = try .unix(path: String(text.dropFirst(5)))
            return
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ParseError(input: text, reason: "missing \"]\" after the IPv6 address")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ParseError(input: text, reason: "missing \":PORT\" after \"]\"") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ParseError(input: text, reason: "missing \":PORT\"")
            }
            host = text[..<colon]
            if host.contains(":") {
                throw ParseError(input: text, reason: "an IPv6 address needs brackets, as in [::1]:80")
            }
            portText = text[text.index(after: colon)...]
        }
        guard portText.utf8.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText) else {
            throw ParseError(input: text, reason: "the port \"\(portText)\" is not a number from 0 to 65535")
        }
        do {
            self = text.hasPrefix("[") ? try .ipv6(String(host), port: port) : try .ipv4(String(host), port: port)
        } catch {
            throw ParseError(input: text, reason: error.reason)
        }
    }

    /// The address family.
    public var family: Family {
        switch storage {
        case .ipv4: .ipv4
        case .ipv6: .ipv6
        case .unix: .unix
        }
    }

    /// The port of an IP address; nil for Unix addresses.
    public var port: UInt16? {
        switch storage {
        case .ipv4(_, let port), .ipv6(_, let port, _): port
        case .unix: nil
        }
    }

    /// The numeric host of an IP address (`127.0.0.1`, `::1`); nil for Unix.
    public var host: String? {
        switch storage {
        case .ipv4(let octets, _): Self.text(AF_INET, octets)
        case .ipv6(let octets, _, let scope): Self.text(AF_INET6, octets) + (scope != 0 ? "%\(scope)" : "")
        case .unix: nil
        }
    }

    /// The path (or "@name") of a Unix address; nil for IP.
    public var path: String? {
        if case .unix(let path) = storage { return path }
        return nil
    }

    public var description: String {
        switch storage {
        case .ipv4(_, let port): "\(host!):\(port)"
        case .ipv6(_, let port, _): "[\(host!)]:\(port)"
        case .unix(let path): "unix:" + (path.isEmpty ? "(unnamed)" : path)
        }
    }

    /// The same address with another port (IP only).
    public func withPort(_ port: UInt16) -> SocketAddress {
        switch storage {
        case .ipv4(let octets, _): SocketAddress(.ipv4(octets: octets, port: port))
        case .ipv6(let octets, _, let scope): SocketAddress(.ipv6(octets: octets, port: port, scopeID: scope))
        case .unix: self
        }
    }

    private static func text(_ family: Int32, _ octets: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        octets.withUnsafeBytes { _ = inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var domain: Int32 {
        switch storage {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        case .unix: AF_UNIX
        }
    }

    /// Calls `body` with this address as a `sockaddr`.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        switch storage {
        case .ipv4(let octets, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: octets) }
            return try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6(let octets, let port, let scope):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_scope_id = scope
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: octets) }
            return try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            let abstract = bytes.first == UInt8(ascii: "@")
            if abstract { bytes[0] = 0 }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
            // Filesystem paths include their NUL; abstract names are exactly their bytes.
            let length = offset + bytes.count + (abstract ? 0 : 1)
            return try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(length))
                }
            }
        }
    }

    /// Decodes what the kernel returned from accept/getsockname/getpeername.
    init?(_ storage: UnsafePointer<sockaddr_storage>, length: socklen_t) {
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let address = UnsafeRawPointer(storage).load(as: sockaddr_in.self)
            self.init(.ipv4(octets: withUnsafeBytes(of: address.sin_addr) { Array($0) },
                            port: UInt16(bigEndian: address.sin_port)))
        case AF_INET6:
            let address = UnsafeRawPointer(storage).load(as: sockaddr_in6.self)
            self.init(.ipv6(octets: withUnsafeBytes(of: address.sin6_addr) { Array($0) },
                            port: UInt16(bigEndian: address.sin6_port), scopeID: address.sin6_scope_id))
        case AF_UNIX:
            let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
            let count = max(0, Int(length) - offset)
            var bytes = withUnsafeBytes(of: UnsafeRawPointer(storage).load(as: sockaddr_un.self).sun_path) {
                Array($0.prefix(count))
            }
            if bytes.first == 0, !bytes.isEmpty {
                bytes[0] = UInt8(ascii: "@")
            } else if let nul = bytes.firstIndex(of: 0) {
                bytes.removeSubrange(nul...)
            }
            self.init(.unix(path: String(decoding: bytes, as: UTF8.self)))
        default:
            return nil
        }
    }

    /// getsockname/getpeername through one path.
    static func query(
        _ fd: Int32, _ operation: String,
        _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(IOError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(IOError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(IOError) in
                try syscallBlocking(operation) { call(fd, address, &length) }
            }
        }
        guard let address = SocketAddress(&storage, length: length) else {
            throw IOError(errno: EAFNOSUPPORT, operation: operation)
        }
        return address
    }
}
