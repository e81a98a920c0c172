import KlientWire

/// What a client sends during an exec or attach session.
public enum RemoteCommandEvent: Sendable, Hashable {
    case stdin([UInt8])
    /// The client ended stdin (v5 CLOSE, SPDY FIN on the stdin stream).
    case stdinClosed
    case resize(KubernetesTerminalSize)
}

/// One upgraded exec/attach connection, WebSocket or SPDY, seen the same way
/// by the bridging code.
protocol RemoteCommandTransport: Sendable {
    /// The next client event; nil once the client has gone (or the session was finished).
    func nextEvent() async -> RemoteCommandEvent?
    /// Sends output on stdout (channel 1) or stderr (channel 2).
    func send(channel: UInt8, _ bytes: [UInt8]) async throws
    /// Writes the final Status as this protocol version does, ends the
    /// output streams and closes the connection cleanly.
    func finish(_ status: RemoteCommandStatus) async
    /// Closes the connection at once.
    func abort()
}
