extension HTTPHeaders {
    /// Checks every field name is a token and every value free of control
    /// characters (RFC 9110 §5.1, §5.5), so no field can inject a line.
    /// - Throws: ``HTTPEncodeError/invalidHeaderName(_:)`` or
    ///   ``HTTPEncodeError/invalidHeaderValue(name:)`` for the first bad field.
    public func validate() throws(HTTPEncodeError) {
        for field in fields {
            guard HTTPSyntax.isToken(field.name.utf8) else { throw .invalidHeaderName(field.name) }
            guard HTTPSyntax.isFieldValue(field.value.utf8) else { throw .invalidHeaderValue(name: field.name) }
        }
    }

    /// Appends `name: value\r\n` for every field, validating each first.
    func encodeFields(into out: inout [UInt8]) throws(HTTPEncodeError) {
        try validate()
        for field in fields {
            out.append(contentsOf: field.name.utf8)
            out.append(HTTPSyntax.colon)
            out.append(HTTPSyntax.sp)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: HTTPSyntax.crlf)
        }
    }
}
