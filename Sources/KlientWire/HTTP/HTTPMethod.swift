/// An HTTP request method (RFC 9110 §9), kept as its exact token.
///
/// A string-backed struct rather than an enum so extension methods (`PROPFIND`,
/// anything a server invents) pass through unchanged. Methods are
/// case-sensitive (RFC 9110 §9.1): `get` is not `GET`.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The method token as sent on the request line.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let GET: HTTPMethod = "GET"
    public static let HEAD: HTTPMethod = "HEAD"
    public static let POST: HTTPMethod = "POST"
    public static let PUT: HTTPMethod = "PUT"
    public static let PATCH: HTTPMethod = "PATCH"
    public static let DELETE: HTTPMethod = "DELETE"
    public static let OPTIONS: HTTPMethod = "OPTIONS"
    public static let CONNECT: HTTPMethod = "CONNECT"
    public static let TRACE: HTTPMethod = "TRACE"
}
