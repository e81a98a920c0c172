/// The chunked transfer coding (RFC 9112 §7.1) as byte-building functions.
///
/// A chunk is `<hex size>\r\n<data>\r\n`; the body ends with the last chunk
/// `0\r\n`, optional trailer fields and an empty line. No chunk extensions are
/// ever written.
public enum HTTPChunkedEncoding {
    /// The last chunk with no trailers: `0\r\n\r\n`.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// The line in front of a chunk of `size` bytes (`1a\r\n`), for writers that
    /// send the data from its own buffer instead of copying it.
    /// Precondition: `size > 0` (a zero size would end the body).
    public static func chunkPrefix(size: Int) -> [UInt8] {
        precondition(size > 0, "a zero-size chunk would end the chunked body")
        var out: [UInt8] = []
        appendHex(size, to: &out)
        out.append(contentsOf: HTTPSyntax.crlf)
        return out
    }

    /// The CRLF that follows a chunk's data.
    public static let chunkSuffix: [UInt8] = [0x0D, 0x0A]

    /// Appends `data` as one chunk. Empty data appends nothing, because an empty
    /// chunk would be read as the end of the body.
    public static func appendChunk<C: Collection>(_ data: C, to out: inout [UInt8])
    where C.Element == UInt8 {
        let size = data.count
        guard size > 0 else { return }
        out.reserveCapacity(out.count + size + 20)
        appendHex(size, to: &out)
        out.append(contentsOf: HTTPSyntax.crlf)
        out.append(contentsOf: data)
        out.append(contentsOf: HTTPSyntax.crlf)
    }

    /// `data` as one encoded chunk (empty for empty data).
    public static func chunk<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        appendChunk(data, to: &out)
        return out
    }

    /// Appends the last chunk, the trailer fields and the final empty line.
    /// - Throws: ``HTTPEncodeError`` if a trailer field could inject lines.
    public static func appendLastChunk(trailers: HTTPHeaders = HTTPHeaders(), to out: inout [UInt8])
        throws(HTTPEncodeError)
    {
        try trailers.validate()
        out.append(0x30)
        out.append(contentsOf: HTTPSyntax.crlf)
        try trailers.encodeFields(into: &out)
        out.append(contentsOf: HTTPSyntax.crlf)
    }

    static func appendHex(_ value: Int, to out: inout [UInt8]) {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        while shift >= 0 {
            out.append(digits[(value >> shift) & 0xF])
            shift -= 4
        }
    }
}
