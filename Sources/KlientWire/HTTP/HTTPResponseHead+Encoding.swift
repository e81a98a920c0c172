extension HTTPResponseHead {
    /// Appends the status line, header fields and the empty line that ends the
    /// head (RFC 9112 §4, §5).
    /// - Throws: ``HTTPEncodeError`` for a status outside 100...999, a reason
    ///   phrase with controls, or a header that could inject lines. Nothing is
    ///   appended on error.
    public func encode(into out: inout [UInt8]) throws(HTTPEncodeError) {
        guard (100...999).contains(status) else { throw .invalidStatusCode(status) }
        guard HTTPSyntax.isFieldValue(reason.utf8) else { throw .invalidReasonPhrase(reason) }
        try headers.validate()
        out.append(contentsOf: version.description.utf8)
        out.append(HTTPSyntax.sp)
        HTTPSyntax.appendDecimal(status, to: &out)
        out.append(HTTPSyntax.sp)
        out.append(contentsOf: reason.utf8)
        out.append(contentsOf: HTTPSyntax.crlf)
        try headers.encodeFields(into: &out)
        out.append(contentsOf: HTTPSyntax.crlf)
    }

    /// The encoded head; see ``encode(into:)``.
    public func encoded() throws(HTTPEncodeError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(into: &out)
        return out
    }
}
