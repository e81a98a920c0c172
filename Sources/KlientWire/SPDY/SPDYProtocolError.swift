/// Everything the SPDY/3 codec can reject, in the peer's bytes or in frames
/// handed to the encoder.
///
/// SPDY draft 3 (§2.4) has two kinds of error, and every case says which it is
/// (``isStreamError``):
///
/// - **Stream errors** concern one stream; the offending frame was consumed
///   whole, the header compression context is intact, and the decoder can go
///   on. Answer with RST_STREAM(``streamID``, ``rstStatus``).
/// - **Session errors** break the framing or the shared compression context.
///   The decoder is finished (every later `next()` throws the same error).
///   Send GOAWAY(last stream id seen, ``goAwayStatus``) and close the
///   connection.
///
/// spdystream (kubectl, kubelet) closes the whole connection on any error it
/// reads; treating stream errors as session errors is always allowed.
public enum SPDYProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Session errors

    /// A control frame carried a version other than 3.
    case unsupportedVersion(UInt16)
    /// A control frame's length exceeds the configured limit (or, on encode,
    /// the 24-bit length field).
    case controlFrameTooLarge(kind: SPDYFrameKind, length: Int, limit: Int)
    /// A control frame's length does not fit its type (e.g. PING ≠ 4 bytes).
    case invalidFrameLength(kind: SPDYFrameKind, length: Int)
    /// A stream ID of 0 where a stream is required, or one above 2³¹−1 on encode.
    case invalidStreamID(kind: SPDYFrameKind, streamID: UInt32)
    /// RST_STREAM with status 0, which the spec leaves undefined.
    case invalidRstStatus(streamID: UInt32)
    /// A header block inflated past the configured limit (a decompression bomb).
    case headerBlockTooLarge(streamID: UInt32, limit: Int)
    /// zlib rejected a header block (corrupt data, wrong dictionary, ended stream).
    case headerCompressionFailed(streamID: UInt32, reason: String)

    // MARK: Stream errors (the decoder stays usable)

    /// A DATA frame exceeds the configured limit; the decoder skips its payload.
    case dataFrameTooLarge(streamID: UInt32, length: Int, limit: Int)
    /// The inflated header block ended before the pairs it announced.
    case truncatedHeaderBlock(streamID: UInt32)
    /// Bytes were left in the inflated header block after the last pair.
    case trailingHeaderBlockBytes(streamID: UInt32, count: Int)
    /// The header block announced more pairs than the configured limit.
    case tooManyHeaderPairs(streamID: UInt32, count: UInt32, limit: Int)
    /// A header name was empty (§2.6.10: names are at least one byte).
    case emptyHeaderName(streamID: UInt32)
    /// A header name contained uppercase letters (§2.6.10: names are lowercase).
    case uppercaseHeaderName(streamID: UInt32, name: String)
    /// A header name appeared twice (§2.6.10: use NUL-joined values instead).
    case duplicateHeaderName(streamID: UInt32, name: String)
    /// A header had no value, an empty value among several, or a value with a
    /// NUL inside it (§2.6.10).
    case invalidHeaderValue(streamID: UInt32, name: String)
    /// A header name or value was not valid UTF-8.
    case invalidHeaderEncoding(streamID: UInt32)

    // MARK: Local misuse (encoder, allocator)

    /// SYN_STREAM priority above 7.
    case invalidPriority(UInt8)
    /// SETTINGS ID above 2²⁴−1.
    case invalidSettingsID(UInt32)
    /// WINDOW_UPDATE delta of 0 or above 2³¹−1 (§2.6.8: the range is 1…2³¹−1).
    case invalidWindowDelta(UInt32)
    /// No stream ID is left for this side (§2.3.2: IDs never wrap).
    case streamIDsExhausted(lastID: UInt32)

    /// True for stream errors (answer with RST_STREAM, keep the connection),
    /// false for session errors and local misuse.
    public var isStreamError: Bool {
        switch self {
        case .dataFrameTooLarge, .truncatedHeaderBlock, .trailingHeaderBlockBytes, .tooManyHeaderPairs,
             .emptyHeaderName, .uppercaseHeaderName, .duplicateHeaderName, .invalidHeaderValue,
             .invalidHeaderEncoding:
            true
        default:
            false
        }
    }

    /// The stream a stream error concerns; nil for session errors.
    public var streamID: UInt32? {
        guard isStreamError else { return nil }
        switch self {
        case let .dataFrameTooLarge(id, _, _), let .truncatedHeaderBlock(id),
             let .trailingHeaderBlockBytes(id, _), let .tooManyHeaderPairs(id, _, _),
             let .emptyHeaderName(id), let .uppercaseHeaderName(id, _), let .duplicateHeaderName(id, _),
             let .invalidHeaderValue(id, _), let .invalidHeaderEncoding(id):
            return id
        default:
            return nil
        }
    }

    /// The RST_STREAM status for a stream error: FRAME_TOO_LARGE for an oversize
    /// DATA frame, PROTOCOL_ERROR otherwise.
    public var rstStatus: SPDYRstStatus {
        if case .dataFrameTooLarge = self { return .frameTooLarge }
        if case .unsupportedVersion = self { return .unsupportedVersion }
        return .protocolError
    }

    /// The GOAWAY status for a session error.
    public var goAwayStatus: SPDYGoAwayStatus { .protocolError }

    public var description: String {
        switch self {
        case let .unsupportedVersion(v):
            "SPDY control frame has version \(v); only SPDY/3 is supported (close the connection)"
        case let .controlFrameTooLarge(kind, length, limit):
            "SPDY \(kind) frame of \(length) bytes exceeds the limit of \(limit) bytes (close the connection or raise the limit)"
        case let .invalidFrameLength(kind, length):
            "SPDY \(kind) frame has an invalid length of \(length) bytes (close the connection)"
        case let .invalidStreamID(kind, id):
            "SPDY \(kind) frame has invalid stream id \(id); ids are 1…2^31-1 (close the connection)"
        case let .invalidRstStatus(id):
            "SPDY RST_STREAM for stream \(id) has status 0, which is undefined (close the connection)"
        case let .headerBlockTooLarge(id, limit):
            "SPDY header block of stream \(id) inflates past \(limit) bytes, a possible decompression bomb (close the connection)"
        case let .headerCompressionFailed(id, reason):
            "SPDY header block of stream \(id) could not be inflated: \(reason) (close the connection)"
        case let .dataFrameTooLarge(id, length, limit):
            "SPDY DATA frame of \(length) bytes on stream \(id) exceeds the limit of \(limit) bytes (reset the stream with FRAME_TOO_LARGE)"
        case let .truncatedHeaderBlock(id):
            "SPDY header block of stream \(id) ends before its announced pairs (reset the stream)"
        case let .trailingHeaderBlockBytes(id, count):
            "SPDY header block of stream \(id) has \(count) bytes after its last pair (reset the stream)"
        case let .tooManyHeaderPairs(id, count, limit):
            "SPDY header block of stream \(id) announces \(count) pairs, more than the limit of \(limit) (reset the stream)"
        case let .emptyHeaderName(id):
            "SPDY header block of stream \(id) has an empty header name (reset the stream)"
        case let .uppercaseHeaderName(id, name):
            "SPDY header name \"\(name)\" on stream \(id) is not lowercase (reset the stream)"
        case let .duplicateHeaderName(id, name):
            "SPDY header \"\(name)\" appears twice on stream \(id); join values with NUL instead (reset the stream)"
        case let .invalidHeaderValue(id, name):
            "SPDY header \"\(name)\" on stream \(id) has no value, an empty value among several, or a NUL inside a value (reset the stream)"
        case let .invalidHeaderEncoding(id):
            "SPDY header block of stream \(id) has a name or value that is not UTF-8 (reset the stream)"
        case let .invalidPriority(p):
            "SPDY stream priority \(p) is out of range; use 0 (highest) … 7 (lowest)"
        case let .invalidSettingsID(id):
            "SPDY SETTINGS id \(id) does not fit in 24 bits"
        case let .invalidWindowDelta(delta):
            "SPDY WINDOW_UPDATE delta \(delta) is out of range; use 1…2^31-1"
        case let .streamIDsExhausted(last):
            "SPDY stream ids are exhausted after \(last); open a new connection"
        }
    }
}
