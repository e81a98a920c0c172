/// Settings of one port-forward connection (channel mode) or tunnel.
///
/// Every buffer is bounded: when a consumer stops reading, at most
/// ``streamInboxCapacity`` messages wait for it and then the WebSocket reader
/// stops, so TCP backpressure reaches the API server.
public struct PortForwardOptions: Sendable {
    /// WebSocket pings sent this often (client-go's tunnel dialer pings every
    /// 10 s); nil sends none.
    public var pingInterval: Duration? = .seconds(10)
    /// Nothing received for this long (pongs included) ends the connection as
    /// dead; nil waits forever.
    public var inactivityTimeout: Duration? = .seconds(30)
    /// Time allowed for the upgrade and, in channel mode, both port
    /// announcements, or, in a tunnel, the SYN_REPLY of a new stream.
    public var openTimeout: Duration = .seconds(15)
    /// Messages buffered per stream (and in the WebSocket inbox) before the
    /// reader waits for the consumer.
    public var streamInboxCapacity = 16

    public init() {}
}
