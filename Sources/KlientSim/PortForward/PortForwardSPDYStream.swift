import KlientIO
import KlientWire
import Synchronization

/// One client-opened stream of a port-forward SPDY session: its headers, the
/// bytes the client sent on it (a bounded queue, so a slow pod port stops the
/// session reader instead of growing memory) and its close state.
final class PortForwardSPDYStream: Sendable {
    /// The `streamtype` header.
    enum Kind: String, Sendable { case error, data }

    /// Thrown from ``inbound`` when the client reset the stream.
    struct ResetError: Error, CustomStringConvertible {
        let streamID: UInt32
        let status: SPDYRstStatus
        var description: String { "the client reset SPDY stream \(streamID) (\(status))" }
    }

    let id: UInt32
    let kind: Kind
    let port: UInt16
    let requestID: String
    /// DATA payloads from the client; finished at its FIN, failed at its RST.
    let inbound: AsyncBoundedChannel<[UInt8]>

    private struct Flags {
        var sentFin = false
        var reset = false
        /// The pod connection of a data stream, closed on RST.
        var target: Socket?
    }
    private let flags = Mutex(Flags())

    init(id: UInt32, kind: Kind, port: UInt16, requestID: String, queueCapacity: Int) {
        self.id = id
        self.kind = kind
        self.port = port
        self.requestID = requestID
        inbound = AsyncBoundedChannel(capacity: queueCapacity)
    }

    /// Whether either side reset the stream.
    var isReset: Bool { flags.withLock { $0.reset } }

    /// Marks a FIN as sent; false if one was sent already or the stream was reset.
    func claimFin() -> Bool {
        flags.withLock { f in
            guard !f.sentFin && !f.reset else { return false }
            f.sentFin = true
            return true
        }
    }

    /// Marks the stream reset (by either side) and closes its pod connection;
    /// false if it was reset already.
    @discardableResult
    func markReset(status: SPDYRstStatus) -> Bool {
        let target: Socket?? = flags.withLock { f in
            guard !f.reset else { return nil }
            f.reset = true
            return .some(f.target)
        }
        guard let target else { return false }
        inbound.finish(throwing: ResetError(streamID: id, status: status))
        target?.close()
        return true
    }

    /// Remembers the pod connection so a reset can close it; closes it at
    /// once if the stream is already reset.
    func attach(_ target: Socket) {
        let resetAlready = flags.withLock { f in
            f.target = target
            return f.reset
        }
        if resetAlready { target.close() }
    }

    /// Ends the session's use of the stream: later client DATA is dropped and
    /// the pod connection is closed.
    func abandon() {
        inbound.finish()
        flags.withLock { $0.target }?.close()
    }
}
