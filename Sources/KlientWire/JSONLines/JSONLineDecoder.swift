/// Splits a byte stream into newline-delimited records: klientd's JSON-RPC
/// messages and Kubernetes JSON watch streams (one event per `\n`).
///
/// A value-type state machine with no I/O: ``append(_:)`` received bytes, then
/// call ``next()`` until it returns nil. It does not parse JSON.
///
/// - A line ends at `\n`; one `\r` before it is dropped (CRLF tolerated).
/// - Empty lines (including a lone `\r`) are skipped, never returned.
/// - A line longer than ``maxLineLength`` (not counting its `\r\n`) makes
///   ``next()`` throw ``JSONLineError/lineTooLong(limit:)`` once, as soon as
///   the length is certain. The decoder then discards bytes up to and including
///   that line's `\n` and resumes: one bad line loses nothing else, and memory
///   stays bounded by the limit. Keep calling ``next()`` after the error.
/// - At end of input (``finish()``), a final line without `\n` is returned like
///   any other line (subject to the same limit).
public struct JSONLineDecoder: Sendable {
    /// Longest line accepted, in bytes, without the line ending.
    public let maxLineLength: Int
    private var buffer = ByteBuffer()
    /// Bytes at the front of `buffer` already searched for `\n`.
    private var scanOffset = 0
    /// Inside a too-long line that was reported: drop bytes until its `\n`.
    private var discarding = false
    private var inputEnded = false

    /// - Parameter maxLineLength: default 8 MiB, room for the largest
    ///   Kubernetes object (etcd caps them near 1.5 MiB) wrapped in a watch event.
    public init(maxLineLength: Int = 8 << 20) {
        precondition(maxLineLength > 0, "maxLineLength must be positive")
        self.maxLineLength = maxLineLength
    }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 { buffer.append(bytes) }

    /// Adds received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(bytes) }

    /// Signals end of input, so ``next()`` returns a final unterminated line.
    public mutating func finish() { inputEnded = true }

    /// Number of received bytes not yet returned or discarded.
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// The next non-empty line without its `\n` (or `\r\n`), or nil if no
    /// complete line is buffered.
    /// - Throws: ``JSONLineError/lineTooLong(limit:)`` once per over-long line;
    ///   the decoder stays usable.
    public mutating func next() throws(JSONLineError) -> [UInt8]? {
        while true {
            if let lf = findNewline() {
                scanOffset = 0
                if discarding {
                    buffer.skip(lf + 1)
                    discarding = false
                    continue
                }
                var end = lf
                if end > 0 && buffer.peek(at: end - 1) == 0x0D { end -= 1 }
                guard end <= maxLineLength else {
                    buffer.skip(lf + 1)
                    throw .lineTooLong(limit: maxLineLength)
                }
                if end == 0 {
                    buffer.skip(lf + 1)
                    continue
                }
                let line = buffer.read(end)!
                buffer.skip(lf + 1 - end)
                return line
            }
            if discarding {
                buffer.skip(buffer.readableBytes)
                scanOffset = 0
                return nil
            }
            // +1: the last byte may be the CR of a CRLF whose LF has not arrived.
            if buffer.readableBytes > maxLineLength + 1 {
                discarding = !inputEnded
                buffer.skip(buffer.readableBytes)
                scanOffset = 0
                throw .lineTooLong(limit: maxLineLength)
            }
            scanOffset = buffer.readableBytes
            guard inputEnded, !buffer.isEmpty else { return nil }
            var line = buffer.readAll()
            scanOffset = 0
            if line.last == 0x0D { line.removeLast() }
            guard line.count <= maxLineLength else { throw .lineTooLong(limit: maxLineLength) }
            if line.isEmpty { return nil }
            return line
        }
    }

    /// Offset of the first `\n` not yet searched, scanning raw memory in bulk.
    private func findNewline() -> Int? {
        let from = scanOffset
        return buffer.withUnsafeReadableBytes { raw in
            raw[from...].firstIndex(of: 0x0A)
        }
    }
}
