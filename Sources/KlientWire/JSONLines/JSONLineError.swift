/// Why a JSON-lines record could not be framed or unframed.
public enum JSONLineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line is longer than the decoder's (or encoder's) maximum. The decoder
    /// has already skipped it and carries on with the next line.
    case lineTooLong(limit: Int)
    /// The record to encode contains a CR or LF at this byte offset; it would
    /// split into several lines. Serialise JSON compactly (JSON escapes newlines
    /// inside strings).
    case embeddedNewline(offset: Int)
    /// The record to encode is empty; decoders skip empty lines, so it would be lost.
    case emptyLine

    public var description: String {
        switch self {
        case .lineTooLong(let limit):
            "JSON line is longer than the limit of \(limit) bytes; it was skipped"
        case .embeddedNewline(let offset):
            "JSON line contains a line break at byte \(offset); encode the record on one line"
        case .emptyLine:
            "JSON line is empty; empty lines are skipped by readers"
        }
    }
}
