/// One SPDY/3 frame, decoded (header blocks decompressed and parsed) or ready
/// to encode (SPDY draft 3, §2.2 and §2.6).
///
/// Stream IDs are 31-bit values; the reserved high bit is cleared on decode and
/// rejected on encode. Header blocks are carried as ``SPDYHeaders``; their
/// compression is the job of ``SPDYFrameEncoder`` / ``SPDYFrameDecoder``,
/// which own the per-direction zlib contexts.
public enum SPDYFrame: Equatable, Sendable {
    /// DATA: payload bytes of a stream. Stream ID 0 is invalid.
    case data(streamID: UInt32, flags: SPDYDataFlags, payload: [UInt8])
    /// SYN_STREAM (type 1): opens a stream. `priority` is 0 (highest) … 7;
    /// `slot` is the CREDENTIAL slot (0 = none). Flags: FIN, UNIDIRECTIONAL.
    case synStream(streamID: UInt32, associatedStreamID: UInt32, priority: UInt8, slot: UInt8,
                   flags: SPDYControlFlags, headers: SPDYHeaders)
    /// SYN_REPLY (type 2): accepts a stream the peer opened. Flags: FIN.
    case synReply(streamID: UInt32, flags: SPDYControlFlags, headers: SPDYHeaders)
    /// RST_STREAM (type 3): aborts a stream.
    case rstStream(streamID: UInt32, status: SPDYRstStatus)
    /// SETTINGS (type 4).
    case settings(flags: SPDYSettingsFlags, entries: [SPDYSettingsEntry])
    /// NOOP (type 5 in SPDY/2, unassigned in SPDY/3): decoded so that a peer
    /// sending it is tolerated; its payload is discarded.
    case noop
    /// PING (type 6): the recipient echoes pings the other side started
    /// (see ``SPDYEndpointRole/pingOrigin(of:)``).
    case ping(id: UInt32)
    /// GOAWAY (type 7): no new streams after `lastGoodStreamID`.
    case goAway(lastGoodStreamID: UInt32, status: SPDYGoAwayStatus)
    /// HEADERS (type 8): more headers for an open stream. Flags: FIN.
    case headers(streamID: UInt32, flags: SPDYControlFlags, headers: SPDYHeaders)
    /// WINDOW_UPDATE (type 9). spdystream ignores it; so may callers.
    case windowUpdate(streamID: UInt32, delta: UInt32)

    /// The frame's kind.
    public var kind: SPDYFrameKind {
        switch self {
        case .data: .data
        case .synStream: .synStream
        case .synReply: .synReply
        case .rstStream: .rstStream
        case .settings: .settings
        case .noop: .noop
        case .ping: .ping
        case .goAway: .goAway
        case .headers: .headers
        case .windowUpdate: .windowUpdate
        }
    }

    /// The stream the frame belongs to, or nil for connection-level frames
    /// (SETTINGS, NOOP, PING, GOAWAY). WINDOW_UPDATE with stream 0 is
    /// connection-level too.
    public var streamID: UInt32? {
        switch self {
        case let .data(id, _, _), let .synStream(id, _, _, _, _, _), let .synReply(id, _, _),
             let .rstStream(id, _), let .headers(id, _, _):
            id
        case let .windowUpdate(id, _):
            id == 0 ? nil : id
        case .settings, .noop, .ping, .goAway:
            nil
        }
    }
}
