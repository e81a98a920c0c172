import KlientIO

/// One output stream of an ``ExecSession`` (stdout or stderr) as chunks of
/// bytes in arrival order, binary-safe.
///
/// The sequence ends (nil) at the stream's end: the server closed the
/// session normally or half-closed the channel. It throws ``ExecError``
/// (``ExecError/Kind/closed``, ``ExecError/Kind/protocolViolation``) when the
/// session ended abnormally or was closed by ``ExecSession/close()``.
/// One consumer at a time. At most ``ExecOptions/outputBufferMessages``
/// chunks wait; then the session stops reading from the server.
public struct ExecOutput: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let channel: AsyncBoundedChannel<[UInt8]>

    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: AsyncBoundedChannel<[UInt8]>

        public mutating func next() async throws -> [UInt8]? {
            try await channel.receive()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: channel) }
}
