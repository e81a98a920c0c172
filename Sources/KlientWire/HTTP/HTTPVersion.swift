/// An HTTP protocol version as written on the start line (`HTTP/1.1`).
///
/// Only major version 1 is spoken by this module; the decoders reject others
/// with ``HTTPParseError/unsupportedVersion(_:)``.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// `HTTP/<major>.<minor>`.
    public var description: String { "HTTP/\(major).\(minor)" }

    /// Whether a message of this version keeps the connection open unless it says
    /// otherwise: HTTP/1.1 and later do, HTTP/1.0 needs `Connection: keep-alive`
    /// (RFC 9112 §9.3).
    var defaultsToKeepAlive: Bool { major > 1 || (major == 1 && minor >= 1) }
}
