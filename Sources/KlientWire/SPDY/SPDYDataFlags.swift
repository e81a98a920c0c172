/// Flags of a SPDY/3 DATA frame (SPDY draft 3, §2.2.2).
///
/// Unknown bits are kept as received so a decoded frame re-encodes unchanged.
public struct SPDYDataFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// FLAG_FIN (0x01): the last frame the sender sends on this stream (half-close).
    public static let fin = SPDYDataFlags(rawValue: 0x01)
}
