/// How a message body is delimited on the wire (RFC 9112 §6).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body at all (e.g. a GET request, a 204 response).
    case none
    /// Exactly this many bytes follow the head (`Content-Length`).
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`: size-prefixed chunks ending in a zero-size chunk.
    case chunked
    /// Response only: the body runs until the sender closes the connection.
    case untilClose
}
