extension HTTPRequestHead {
    /// Appends the request line, header fields and the empty line that ends the
    /// head (RFC 9112 §3, §5). Body framing headers are written as given; see
    /// ``HTTPHeaders/setBodyFraming(_:)``.
    /// - Throws: ``HTTPEncodeError`` for a method that is not a token, a target
    ///   with whitespace or controls, or a header that could inject lines.
    ///   Nothing is appended on error.
    public func encode(into out: inout [UInt8]) throws(HTTPEncodeError) {
        guard HTTPSyntax.isToken(method.rawValue.utf8) else { throw .invalidMethod(method.rawValue) }
        guard !target.isEmpty, target.utf8.allSatisfy(HTTPSyntax.isTargetChar) else {
            throw .invalidRequestTarget(target)
        }
        try headers.validate()
        out.reserveCapacity(out.count + 64 + target.utf8.count + headers.count * 32)
        out.append(contentsOf: method.rawValue.utf8)
        out.append(HTTPSyntax.sp)
        out.append(contentsOf: target.utf8)
        out.append(HTTPSyntax.sp)
        out.append(contentsOf: version.description.utf8)
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
