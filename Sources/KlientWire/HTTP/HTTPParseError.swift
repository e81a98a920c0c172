/// Why an HTTP/1.1 message could not be decoded. Strings carried by the cases
/// are short printable excerpts of the offending input (at most 64 bytes,
/// control and non-ASCII bytes escaped as `\xNN`), safe to log.
///
/// After a decoder throws, it keeps throwing the same error: the connection's
/// framing is lost and it must be closed.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request or status line is longer than ``HTTPDecoderLimits/maxStartLineLength``.
    case startLineTooLong(limit: Int)
    /// The header section (or trailer section) exceeds ``HTTPDecoderLimits/maxHeaderBytes``.
    case headerTooLarge(limit: Int)
    /// More field lines than ``HTTPDecoderLimits/maxHeaderCount``.
    case tooManyHeaders(limit: Int)
    /// A chunk-size line (with extensions) exceeds ``HTTPDecoderLimits/maxChunkSizeLineLength``.
    case chunkSizeLineTooLong(limit: Int)
    /// The body exceeds ``HTTPDecoderLimits/maxBodySize``.
    case bodyTooLarge(limit: Int)
    /// The request line is not `method SP request-target SP HTTP-version` (RFC 9112 §3).
    case invalidRequestLine(String)
    /// The status line is not `HTTP-version SP 3DIGIT SP reason` (RFC 9112 §4).
    case invalidStatusLine(String)
    /// The message is not HTTP/1.x (for example an HTTP/2 preface).
    case unsupportedVersion(String)
    /// A field line has no colon, an empty or non-token name, or whitespace
    /// before the colon (RFC 9112 §5.1).
    case invalidHeaderLine(String)
    /// The value of the named field contains a control character such as a bare
    /// CR or NUL (RFC 9110 §5.5).
    case invalidHeaderValue(name: String)
    /// A field line starts with whitespace: obsolete line folding, rejected as
    /// RFC 9112 §5.2 allows, because folded values are a smuggling vector.
    case obsoleteLineFolding(String)
    /// Content-Length is not a decimal number (RFC 9110 §8.6).
    case invalidContentLength(String)
    /// Several Content-Length values that differ (RFC 9112 §6.3 rule 5).
    case conflictingContentLength(String)
    /// Both Transfer-Encoding and Content-Length are present; rejected as a
    /// request-smuggling risk (RFC 9112 §6.1, §6.3 rule 3).
    case contentLengthWithTransferEncoding
    /// A Transfer-Encoding this decoder cannot frame: in a request, anything not
    /// ending in `chunked`; anywhere, `chunked` applied twice or not last
    /// (RFC 9112 §6.3 rule 4).
    case unsupportedTransferEncoding(String)
    /// A chunk-size line does not start with a hexadecimal size, or the size overflows.
    case invalidChunkSize(String)
    /// Chunk data is not followed by CRLF (RFC 9112 §7.1).
    case missingChunkTerminator
    /// The stream ended (``HTTPResponseDecoder/finish()``) in the middle of a
    /// message; the string says where.
    case truncatedMessage(String)

    public var description: String {
        switch self {
        case .startLineTooLong(let limit):
            "HTTP start line is longer than the limit of \(limit) bytes"
        case .headerTooLarge(let limit):
            "HTTP header section is larger than the limit of \(limit) bytes"
        case .tooManyHeaders(let limit):
            "HTTP message has more than the limit of \(limit) header fields"
        case .chunkSizeLineTooLong(let limit):
            "HTTP chunk-size line is longer than the limit of \(limit) bytes"
        case .bodyTooLarge(let limit):
            "HTTP body is larger than the limit of \(limit) bytes"
        case .invalidRequestLine(let line):
            "invalid HTTP request line \"\(line)\": expected \"METHOD target HTTP/1.1\""
        case .invalidStatusLine(let line):
            "invalid HTTP status line \"\(line)\": expected \"HTTP/1.1 200 reason\""
        case .unsupportedVersion(let version):
            "unsupported HTTP version \"\(version)\": only HTTP/1.x is spoken here"
        case .invalidHeaderLine(let line):
            "invalid HTTP header line \"\(line)\": expected \"name: value\" with a token name and no space before the colon"
        case .invalidHeaderValue(let name):
            "HTTP header \"\(name)\" has a value with control characters (CR, NUL, ...)"
        case .obsoleteLineFolding(let line):
            "HTTP header line \"\(line)\" starts with whitespace (obsolete line folding is not accepted)"
        case .invalidContentLength(let value):
            "invalid HTTP Content-Length \"\(value)\": expected a decimal byte count"
        case .conflictingContentLength(let values):
            "conflicting HTTP Content-Length values \"\(values)\""
        case .contentLengthWithTransferEncoding:
            "HTTP message has both Transfer-Encoding and Content-Length (rejected: request smuggling risk)"
        case .unsupportedTransferEncoding(let codings):
            "unsupported HTTP Transfer-Encoding \"\(codings)\": the body must be chunked, with chunked last and once"
        case .invalidChunkSize(let line):
            "invalid HTTP chunk-size line \"\(line)\": expected a hexadecimal size"
        case .missingChunkTerminator:
            "HTTP chunk data is not followed by CRLF"
        case .truncatedMessage(let place):
            "the HTTP stream ended \(place)"
        }
    }
}
