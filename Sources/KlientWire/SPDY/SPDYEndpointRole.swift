/// Which end of a SPDY/3 connection we are; decides ID parity (SPDY draft 3,
/// §2.3.2 for streams, §2.6.5 for pings): the client uses odd IDs, the
/// server even ones.
public enum SPDYEndpointRole: Hashable, Sendable {
    case client
    case server

    /// Who started a ping, as seen from this side.
    public enum PingOrigin: Hashable, Sendable {
        /// We sent it; this is the peer's echo (a pong). Do not answer it.
        case ours
        /// The peer sent it; echo the same ID back.
        case peer
    }

    /// The other side's role.
    public var peer: SPDYEndpointRole { self == .client ? .server : .client }

    /// The first stream ID this side allocates: 1 for the client, 2 for the server.
    public var firstStreamID: UInt32 { self == .client ? 1 : 2 }

    /// Whether this side creates stream (or ping) IDs of `id`'s parity.
    public func owns(_ id: UInt32) -> Bool {
        (id & 1 == 1) == (self == .client)
    }

    /// Classifies a received PING: one of ours coming back (same parity as our
    /// IDs) or one the peer started, which must be echoed. spdystream answers
    /// pings of the other parity and treats its own parity as replies.
    public func pingOrigin(of id: UInt32) -> PingOrigin {
        owns(id) ? .ours : .peer
    }
}
