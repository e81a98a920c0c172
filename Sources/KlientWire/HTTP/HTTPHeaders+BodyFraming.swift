extension HTTPHeaders {
    /// Replaces any `Content-Length` and `Transfer-Encoding` fields with the ones
    /// `framing` needs, so a message never carries both (RFC 9112 §6.2):
    /// `.contentLength(n)` sets `Content-Length: n`, `.chunked` sets
    /// `Transfer-Encoding: chunked`, `.none` and `.untilClose` set neither.
    /// A request without a body should use `.none`; a response that has no body
    /// but must say so uses `.contentLength(0)`.
    public mutating func setBodyFraming(_ framing: HTTPBodyFraming) {
        remove(name: "content-length")
        remove(name: "transfer-encoding")
        switch framing {
        case .contentLength(let n): add(name: "Content-Length", value: String(n))
        case .chunked: add(name: "Transfer-Encoding", value: "chunked")
        case .none, .untilClose: break
        }
    }
}
