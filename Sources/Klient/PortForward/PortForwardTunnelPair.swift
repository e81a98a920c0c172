import KlientIO
import KlientWire
import Synchronization

/// The receiving state of one forwarded TCP connection in a tunnel: its
/// `error` and `data` SPDY streams. The session's reader fills it; the public
/// ``PortForwardTunnelStream`` reads from it. Kept apart from the public
/// handle so that dropping the handle can reset the streams.
final class PortForwardTunnelPair: Sendable {
    enum Kind: String, Sendable { case error, data }

    let port: UInt16
    let requestID: Int
    let errorStreamID: UInt32
    let dataStreamID: UInt32
    /// DATA payloads of the data stream; finished at its FIN, failed at a reset,
    /// an error-stream message or the end of the session.
    let inbox: AsyncBoundedChannel<[UInt8]>
    /// One element per SYN_REPLY (error, then data); failed by a reset or the session's end.
    let replies = AsyncBoundedChannel<Void>(capacity: 2)

    private struct State {
        var errorText: [UInt8] = []
        var errorFinished = false
        var dataReset: SPDYRstStatus?
    }
    private let state = Mutex(State())
    /// Longest error message kept (the kubelet's are one line).
    private static let maxErrorText = 64 * 1024

    init(port: UInt16, requestID: Int, errorStreamID: UInt32, dataStreamID: UInt32, inboxCapacity: Int) {
        self.port = port
        self.requestID = requestID
        self.errorStreamID = errorStreamID
        self.dataStreamID = dataStreamID
        inbox = AsyncBoundedChannel(capacity: max(1, inboxCapacity))
    }

    func kind(of streamID: UInt32) -> Kind { streamID == errorStreamID ? .error : .data }

    /// Waits for both SYN_REPLYs.
    func waitForReplies() async throws {
        for _ in 0..<2 {
            guard try await replies.receive() != nil else {
                throw PortForwardError.closed("the tunnel ended before the server accepted the streams")
            }
        }
    }

    /// The error stream's text so far, if any.
    var remoteMessage: String? {
        let text = state.withLock { $0.errorText }
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }

    // MARK: Events from the session's reader

    func replied() async {
        // Never waits: at most two replies reach a channel of capacity 2.
        try? await replies.send(())
    }

    func received(_ payload: [UInt8], on kind: Kind) async {
        switch kind {
        case .data:
            // Waits while the consumer is slow (backpressure on the whole tunnel,
            // as in spdystream); a finished inbox drops the bytes.
            try? await inbox.send(payload)
        case .error:
            state.withLock { s in
                s.errorText.append(contentsOf: payload.prefix(max(0, Self.maxErrorText - s.errorText.count)))
            }
        }
    }

    func finished(_ kind: Kind) {
        switch kind {
        case .data:
            if let message = remoteMessage {
                inbox.finish(throwing: PortForwardError.remote(port: port, message: message))
            } else {
                inbox.finish()
            }
        case .error:
            state.withLock { $0.errorFinished = true }
            // kubectl treats any error text as the end of the connection.
            if let message = remoteMessage {
                inbox.finish(throwing: PortForwardError.remote(port: port, message: message))
            }
        }
    }

    /// The status of the server's RST_STREAM on the data stream, if it sent one.
    var dataResetStatus: SPDYRstStatus? { state.withLock { $0.dataReset } }

    func reset(_ kind: Kind, status: SPDYRstStatus) {
        if kind == .data { state.withLock { $0.dataReset = status } }
        let error = PortForwardError.streamReset(port: port, status: "\(kind.rawValue) stream: \(status)")
        replies.finish(throwing: error)
        if kind == .data { inbox.finish(throwing: remoteMessage.map { .remote(port: port, message: $0) } ?? error) }
    }

    func sessionEnded(_ error: PortForwardError) {
        replies.finish(throwing: error)
        inbox.finish(throwing: remoteMessage.map { .remote(port: port, message: $0) } ?? error)
    }
}
