/// Frames a message body for sending, checking it matches the declared framing.
///
/// Value-type state machine: call ``encode(_:into:)`` for each piece of the body
/// and ``finish(trailers:into:)`` once at the end. With `.contentLength` the
/// bytes pass through unchanged and the total is checked (RFC 9112 §6.2); with
/// `.chunked` each piece becomes one chunk (RFC 9112 §7.1).
public struct HTTPBodyEncoder: Sendable {
    public let framing: HTTPBodyFraming
    /// Body bytes accepted so far (payload, not framing).
    public private(set) var bytesWritten = 0
    private var finished = false

    public init(framing: HTTPBodyFraming) {
        self.framing = framing
    }

    /// Appends the wire form of `data` to `out`.
    /// - Throws: ``HTTPEncodeError/bodyLongerThanContentLength(declared:)`` if the
    ///   body would exceed its Content-Length, ``HTTPEncodeError/bodyNotAllowed``
    ///   for `.none`, ``HTTPEncodeError/bodyAlreadyFinished`` after `finish`.
    ///   Nothing is appended on error.
    public mutating func encode<C: Collection>(_ data: C, into out: inout [UInt8]) throws(HTTPEncodeError)
    where C.Element == UInt8 {
        guard !finished else { throw .bodyAlreadyFinished }
        let n = data.count
        guard n > 0 else { return }
        switch framing {
        case .none:
            throw .bodyNotAllowed
        case .contentLength(let declared):
            guard n <= declared - bytesWritten else { throw .bodyLongerThanContentLength(declared: declared) }
            out.append(contentsOf: data)
        case .chunked:
            HTTPChunkedEncoding.appendChunk(data, to: &out)
        case .untilClose:
            out.append(contentsOf: data)
        }
        bytesWritten += n
    }

    /// The wire form of `data`; see ``encode(_:into:)``.
    public mutating func encode<C: Collection>(_ data: C) throws(HTTPEncodeError) -> [UInt8]
    where C.Element == UInt8 {
        var out: [UInt8] = []
        try encode(data, into: &out)
        return out
    }

    /// Appends whatever ends the body: the last chunk and trailers for
    /// `.chunked`, nothing otherwise.
    /// - Throws: ``HTTPEncodeError/bodyShorterThanContentLength(declared:written:)``
    ///   if fewer bytes than declared were written,
    ///   ``HTTPEncodeError/trailersRequireChunkedEncoding`` for trailers on a
    ///   non-chunked body, or a header error for a bad trailer field.
    public mutating func finish(trailers: HTTPHeaders = HTTPHeaders(), into out: inout [UInt8])
        throws(HTTPEncodeError)
    {
        guard !finished else { throw .bodyAlreadyFinished }
        if case .chunked = framing {
            try HTTPChunkedEncoding.appendLastChunk(trailers: trailers, to: &out)
        } else {
            guard trailers.isEmpty else { throw .trailersRequireChunkedEncoding }
            if case .contentLength(let declared) = framing, bytesWritten != declared {
                throw .bodyShorterThanContentLength(declared: declared, written: bytesWritten)
            }
        }
        finished = true
    }

    /// The bytes that end the body; see ``finish(trailers:into:)``.
    public mutating func finish(trailers: HTTPHeaders = HTTPHeaders()) throws(HTTPEncodeError) -> [UInt8] {
        var out: [UInt8] = []
        try finish(trailers: trailers, into: &out)
        return out
    }
}
