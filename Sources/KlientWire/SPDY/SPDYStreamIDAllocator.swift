/// Hands out the stream IDs this side may open (SPDY draft 3, §2.3.2): odd
/// from 1 for a client, even from 2 for a server, strictly increasing, never
/// wrapping past 2³¹−1.
public struct SPDYStreamIDAllocator: Hashable, Sendable {
    /// The largest stream ID (31 bits).
    public static let maxStreamID: UInt32 = 0x7FFF_FFFF

    public let role: SPDYEndpointRole
    /// The most recently allocated ID, or nil before the first.
    public private(set) var lastAllocated: UInt32?

    public init(role: SPDYEndpointRole) {
        self.role = role
    }

    /// An allocator that already handed out `lastAllocated` (tests reach the
    /// end of the ID space through this instead of 2³⁰ calls).
    init(role: SPDYEndpointRole, lastAllocated: UInt32) {
        self.role = role
        self.lastAllocated = lastAllocated
    }

    /// The next stream ID.
    ///
    /// - Throws: ``SPDYProtocolError/streamIDsExhausted(lastID:)`` once the
    ///   31-bit space is used up; the connection cannot open more streams.
    public mutating func next() throws(SPDYProtocolError) -> UInt32 {
        guard let last = lastAllocated else {
            lastAllocated = role.firstStreamID
            return role.firstStreamID
        }
        guard last <= Self.maxStreamID - 2 else { throw .streamIDsExhausted(lastID: last) }
        lastAllocated = last + 2
        return last + 2
    }
}
