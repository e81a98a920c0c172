/// Flags of the SPDY/3 stream control frames SYN_STREAM, SYN_REPLY and HEADERS
/// (SPDY draft 3, §2.6.1–2.6.3, §2.6.7).
///
/// Unknown bits are kept as received so a decoded frame re-encodes unchanged.
public struct SPDYControlFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// FLAG_FIN (0x01): the sender half-closes the stream with this frame.
    public static let fin = SPDYControlFlags(rawValue: 0x01)
    /// FLAG_UNIDIRECTIONAL (0x02, SYN_STREAM only): the recipient starts half-closed.
    public static let unidirectional = SPDYControlFlags(rawValue: 0x02)
}
