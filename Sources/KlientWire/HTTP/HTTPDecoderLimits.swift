/// Size limits every HTTP decoder enforces while parsing, so a peer cannot make
/// it buffer without bound. Exceeding one throws the matching
/// ``HTTPParseError`` case naming the limit.
public struct HTTPDecoderLimits: Sendable, Equatable {
    /// Longest request or status line, without its line ending. Default 8 KiB.
    public var maxStartLineLength: Int
    /// Most bytes in the header section (field lines, without line endings);
    /// trailers get the same budget separately. Default 64 KiB.
    public var maxHeaderBytes: Int
    /// Most field lines in the header section (and, separately, the trailers). Default 256.
    public var maxHeaderCount: Int
    /// Longest chunk-size line including chunk extensions. Default 4 KiB.
    public var maxChunkSizeLineLength: Int
    /// Largest body accepted, or nil for no limit. The body is streamed either
    /// way; this only bounds what a peer may send.
    public var maxBodySize: Int?

    public init(maxStartLineLength: Int = 8192, maxHeaderBytes: Int = 65536, maxHeaderCount: Int = 256,
                maxChunkSizeLineLength: Int = 4096, maxBodySize: Int? = nil) {
        self.maxStartLineLength = maxStartLineLength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxChunkSizeLineLength = maxChunkSizeLineLength
        self.maxBodySize = maxBodySize
    }
}
