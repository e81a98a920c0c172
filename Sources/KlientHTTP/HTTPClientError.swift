import KlientWire

/// Errors of the HTTP client beyond those of the transport (`IOError`,
/// `TLSError`) and the codec (`HTTPParseError`).
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be used; `reason` says why.
    case invalidURL(String, reason: String)
    /// The host name did not resolve.
    case unresolvableHost(String, reason: String)
    /// The server closed the connection before a complete response arrived.
    case connectionClosedEarly(endpoint: String)
    /// The response body exceeded the client's limit.
    case responseTooLarge(limit: Int)
    /// The request could not be encoded (for example a header with CR/LF).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid URL \"\(url)\": \(reason)"
        case .unresolvableHost(let host, let reason):
            return "cannot resolve host \"\(host)\": \(reason); check the server address"
        case .connectionClosedEarly(let endpoint):
            return "\(endpoint) closed the connection before sending a complete response"
        case .responseTooLarge(let limit):
            return "response body larger than the limit of \(limit) bytes"
        case .invalidRequest(let why):
            return "invalid request: \(why)"
        }
    }
}
