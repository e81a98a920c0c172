/// Why a ``SPDYClientSession`` refuses to open a stream or send.
public enum SPDYSessionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer sent GOAWAY: no new streams on this connection.
    case goneAway(lastGoodStreamID: UInt32, status: SPDYGoAwayStatus)
    /// The session was closed (``SPDYClientSession/close()``).
    case closed
    /// The 31-bit stream ID space is used up.
    case streamIDsExhausted
    /// The stream is unknown, reset, or already half-closed by us.
    case streamNotWritable(streamID: UInt32)

    public var description: String {
        switch self {
        case .goneAway(let last, let status):
            "the server sent GOAWAY (\(status), last stream \(last)); open a new connection"
        case .closed:
            "the SPDY session is closed"
        case .streamIDsExhausted:
            "the SPDY connection has used up its stream IDs; open a new connection"
        case .streamNotWritable(let id):
            "SPDY stream \(id) is closed for sending (finished or reset)"
        }
    }
}
