@testable import KlientWire
import Testing

/// Stream and ping IDs (SPDY draft 3, §2.3.2, §2.6.5): client odd, server even.
@Suite struct SPDYStreamIDAllocatorTests {
    @Test func clientAllocatesOddFromOne() throws {
        var ids = SPDYStreamIDAllocator(role: .client)
        #expect(ids.lastAllocated == nil)
        #expect(try (0..<4).map { _ in try ids.next() } == [1, 3, 5, 7])
        #expect(ids.lastAllocated == 7)
    }

    @Test func serverAllocatesEvenFromTwo() throws {
        var ids = SPDYStreamIDAllocator(role: .server)
        #expect(try (0..<4).map { _ in try ids.next() } == [2, 4, 6, 8])
    }

    /// IDs never wrap (§2.3.2): after 2^31-1 (client) or 2^31-2 (server) the
    /// allocator throws, and keeps throwing.
    @Test(arguments: [SPDYEndpointRole.client, .server])
    func exhaustionIsAnErrorNotAWrap(role: SPDYEndpointRole) throws {
        let top: UInt32 = role == .client ? 0x7FFF_FFFF : 0x7FFF_FFFE
        var ids = SPDYStreamIDAllocator(role: role, lastAllocated: top - 4)
        #expect(try ids.next() == top - 2)
        #expect(try ids.next() == top)
        #expect(role.owns(top))
        #expect(throws: SPDYProtocolError.streamIDsExhausted(lastID: top)) { try ids.next() }
        #expect(throws: SPDYProtocolError.streamIDsExhausted(lastID: top)) { try ids.next() }
        #expect(ids.lastAllocated == top)
    }

    @Test func parityHelpers() {
        #expect(SPDYEndpointRole.client.owns(1) && !SPDYEndpointRole.client.owns(2))
        #expect(SPDYEndpointRole.server.owns(2) && !SPDYEndpointRole.server.owns(1))
        #expect(SPDYEndpointRole.client.pingOrigin(of: 1) == .ours)
        #expect(SPDYEndpointRole.client.pingOrigin(of: 2) == .peer)
        #expect(SPDYEndpointRole.server.pingOrigin(of: 2) == .ours)
        #expect(SPDYEndpointRole.server.pingOrigin(of: 1) == .peer)
        #expect(SPDYEndpointRole.client.peer == .server)
        #expect(SPDYEndpointRole.client.firstStreamID == 1 && SPDYEndpointRole.server.firstStreamID == 2)
    }

    @Test func pingIDsKeepParity() {
        var client = SPDYPingIDAllocator(role: .client)
        #expect([client.next(), client.next(), client.next()] == [1, 3, 5])
        var server = SPDYPingIDAllocator(role: .server)
        #expect([server.next(), server.next()] == [2, 4])
    }

    /// Ping IDs wrap (like spdystream's), keep their parity and skip 0.
    @Test func pingIDsWrap() {
        var client = SPDYPingIDAllocator(role: .client, nextID: 0xFFFF_FFFD)
        #expect([client.next(), client.next(), client.next()] == [0xFFFF_FFFD, 0xFFFF_FFFF, 1])
        var server = SPDYPingIDAllocator(role: .server, nextID: 0xFFFF_FFFC)
        #expect([server.next(), server.next(), server.next()] == [0xFFFF_FFFC, 0xFFFF_FFFE, 2])
    }
}
