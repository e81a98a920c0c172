/// Hands out the IDs of the pings this side starts (SPDY draft 3, §2.6.5):
/// odd for a client, even for a server, never 0. Unlike stream IDs they wrap
/// around (as spdystream's do), keeping their parity.
public struct SPDYPingIDAllocator: Hashable, Sendable {
    public let role: SPDYEndpointRole
    private var nextID: UInt32

    public init(role: SPDYEndpointRole) {
        self.role = role
        nextID = role == .client ? 1 : 2
    }

    /// An allocator whose next ID is `nextID` (tests use it to reach the wrap).
    init(role: SPDYEndpointRole, nextID: UInt32) {
        self.role = role
        self.nextID = nextID
    }

    /// The next ping ID.
    public mutating func next() -> UInt32 {
        let id = nextID
        nextID &+= 2
        if nextID == 0 { nextID = 2 }
        return id
    }
}
