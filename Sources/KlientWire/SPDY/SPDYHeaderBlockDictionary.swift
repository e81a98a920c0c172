/// The zlib preset dictionary of SPDY/3 header blocks (SPDY draft 3,
/// §2.6.10.1 "Compression").
///
/// Both directions of every SPDY/3 connection prime their deflate and inflate
/// contexts with these 1423 bytes. A zlib stream that uses it names it in its
/// header by the Adler-32 checksum ``adler32`` (0xE3C6A7C2).
///
/// The spec lists the dictionary as a byte table; here it is assembled from
/// its two visible parts, which is easier to review: length-prefixed words
/// (each a big-endian `UInt32` length then the word, laid out like a header
/// block) followed by one run of raw text. Tests check the length and the
/// checksum, so a typo cannot go unnoticed.
public enum SPDYHeaderBlockDictionary {
    /// Length of the dictionary in bytes (1423).
    public static let length = 1423

    /// Adler-32 of the dictionary: the DICTID a zlib stream primed with it carries.
    public static let adler32: UInt32 = 0xE3C6_A7C2

    /// The dictionary bytes.
    public static let bytes: [UInt8] = {
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for word in words {
            let count = UInt32(word.utf8.count)
            out.append(contentsOf: [UInt8(count >> 24), UInt8((count >> 16) & 0xFF),
                                    UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)])
            out.append(contentsOf: word.utf8)
        }
        for part in tail { out.append(contentsOf: part.utf8) }
        return out
    }()

    /// Header names and common values, each written with a 4-byte length prefix.
    private static let words: [String] = [
        "options", "head", "post", "put", "delete", "trace",
        "accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges",
        "age", "allow", "authorization", "cache-control", "connection",
        "content-base", "content-encoding", "content-language", "content-length",
        "content-location", "content-md5", "content-range", "content-type",
        "date", "etag", "expect", "expires", "from", "host",
        "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
        "last-modified", "location", "max-forwards", "pragma",
        "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after",
        "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "vary", "via", "warning", "www-authenticate",
        "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url",
        "public", "set-cookie", "keep-alive", "origin",
    ]

    /// Raw text appended after the words, with no length prefixes or separators.
    private static let tail: [String] = [
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505",
        "203 Non-Authoritative Information", "204 No Content", "301 Moved Permanently",
        "400 Bad Request", "401 Unauthorized", "403 Forbidden", "404 Not Found",
        "500 Internal Server Error", "501 Not Implemented", "503 Service Unavailable",
        "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ",
        "Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT",
        "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,",
        "text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdch",
        "charset=utf-8charset=iso-8859-1,utf-,*,enq=0.",
    ]
}
