/// The status line and header section of an HTTP/1.1 response (RFC 9112 §4).
public struct HTTPResponseHead: Sendable, Equatable {
    public var version: HTTPVersion
    /// The three-digit status code.
    public var status: Int
    /// The reason phrase; informational only (clients must not rely on it).
    public var reason: String
    public var headers: HTTPHeaders

    /// A response head; `reason` defaults to the standard phrase for `status`.
    public init(version: HTTPVersion = .http1_1, status: Int, reason: String? = nil,
                headers: HTTPHeaders = HTTPHeaders()) {
        self.version = version
        self.status = status
        self.reason = reason ?? Self.standardReason(for: status)
        self.headers = headers
    }

    /// Whether the server lets the connection stay open (RFC 9112 §9.3).
    public var isKeepAlive: Bool { headers.isKeepAlive(version: version) }

    /// Whether this is an interim 1xx response other than 101, which precedes
    /// the final response (RFC 9110 §15.2).
    public var isInformational: Bool { (100..<200).contains(status) && status != 101 }

    /// The usual reason phrase for common status codes, "" otherwise.
    public static func standardReason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}
