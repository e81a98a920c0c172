/// Why an HTTP head or body could not be encoded. Each case refuses output that
/// would corrupt the message framing, most importantly header injection.
public enum HTTPEncodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header field name is empty or contains a character outside `tchar`
    /// (RFC 9110 §5.1), such as a space, colon, CR or LF.
    case invalidHeaderName(String)
    /// The value of header `name` contains CR, LF, NUL or another control
    /// character (RFC 9110 §5.5); sending it would let the value inject lines.
    case invalidHeaderValue(name: String)
    /// The method is not a token (RFC 9110 §9.1).
    case invalidMethod(String)
    /// The request-target is empty or contains whitespace or control characters
    /// (RFC 9112 §3.2); percent-encode it first.
    case invalidRequestTarget(String)
    /// The status code is outside 100...999 (RFC 9110 §15).
    case invalidStatusCode(Int)
    /// The reason phrase contains CR, LF or another control character.
    case invalidReasonPhrase(String)
    /// More body bytes were written than the declared Content-Length.
    case bodyLongerThanContentLength(declared: Int)
    /// The body ended before reaching the declared Content-Length.
    case bodyShorterThanContentLength(declared: Int, written: Int)
    /// Body bytes were written for a message framed as having no body.
    case bodyNotAllowed
    /// Trailer fields were given for a message that is not chunked (RFC 9112 §7.1.2).
    case trailersRequireChunkedEncoding
    /// The body encoder was used after `finish`.
    case bodyAlreadyFinished

    public var description: String {
        switch self {
        case .invalidHeaderName(let name):
            "invalid HTTP header name \"\(HTTPSyntax.excerpt(name))\": names must be non-empty tokens without spaces, colons or line breaks"
        case .invalidHeaderValue(let name):
            "invalid value for HTTP header \"\(HTTPSyntax.excerpt(name))\": values must not contain CR, LF or other control characters (header injection)"
        case .invalidMethod(let method):
            "invalid HTTP method \"\(HTTPSyntax.excerpt(method))\": methods must be tokens"
        case .invalidRequestTarget(let target):
            "invalid HTTP request target \"\(HTTPSyntax.excerpt(target))\": it must be non-empty without spaces or control characters (percent-encode them)"
        case .invalidStatusCode(let status):
            "invalid HTTP status code \(status): it must have three digits (100...999)"
        case .invalidReasonPhrase(let reason):
            "invalid HTTP reason phrase \"\(HTTPSyntax.excerpt(reason))\": it must not contain line breaks or control characters"
        case .bodyLongerThanContentLength(let declared):
            "HTTP body is longer than its declared Content-Length of \(declared) bytes"
        case .bodyShorterThanContentLength(let declared, let written):
            "HTTP body ended after \(written) bytes but Content-Length declared \(declared)"
        case .bodyNotAllowed:
            "this HTTP message was framed without a body, but body bytes were written"
        case .trailersRequireChunkedEncoding:
            "HTTP trailer fields can only be sent with chunked transfer encoding"
        case .bodyAlreadyFinished:
            "the HTTP body was already finished"
        }
    }
}
