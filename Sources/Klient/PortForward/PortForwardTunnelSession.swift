import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// The I/O behind ``PortForwardTunnel``: one reader loop that joins the
/// WebSocket's BINARY messages into a SPDY byte stream, decodes frames,
/// feeds them to the pure ``SPDYClientSession`` and routes its events to the
/// stream pairs; one write lock under which frames are encoded (header
/// compression order) and sent, one WebSocket message per write.
final class PortForwardTunnelSession: Sendable {
    let socket: WebSocket
    let options: PortForwardOptions

    private struct State {
        var machine = SPDYClientSession()
        var routes: [UInt32: PortForwardTunnelPair] = [:]
        var pairs: [Int: PortForwardTunnelPair] = [:]
        var nextRequestID = 0
        var pings: [UInt32: AsyncBoundedChannel<Void>] = [:]
        /// Why the session ended (or is ending); nil while it runs.
        var end: PortForwardError?
        var closing = false
    }

    private let state = Mutex(State())
    private let writeLock = AsyncLock()
    private let encoder = Mutex(SPDYFrameEncoder())
    private let reader = Mutex<Task<Void, Never>?>(nil)
    /// Largest DATA payload per frame (the kubelet's decoder accepts far more).
    static let maxDataPayload = 128 * 1024

    init(socket: WebSocket, options: PortForwardOptions) {
        self.socket = socket
        self.options = options
    }

    func start() {
        let task = Task { await self.readLoop() }
        reader.withLock { $0 = task }
    }

    var activeStreams: Int { state.withLock { $0.pairs.count } }

    var isClosed: Bool { state.withLock { $0.end != nil || $0.closing } }

    func closed() async {
        let task = reader.withLock { $0 }
        await task?.value
    }

    // MARK: Streams

    /// Opens an error + data stream pair for `port` and waits for both SYN_REPLYs.
    func openPair(port: UInt16) async throws -> PortForwardTunnelPair {
        try await writeLock.lock()
        let pair: PortForwardTunnelPair
        do {
            defer { writeLock.unlock() }
            let (opened, frames): (PortForwardTunnelPair, [SPDYFrame]) = try state.withLock { s in
                if let end = s.end { throw end }
                if s.closing { throw PortForwardError.closed("the tunnel is closing") }
                let requestID = s.nextRequestID
                func headers(_ kind: PortForwardTunnelPair.Kind) -> SPDYHeaders {
                    ["streamtype": kind.rawValue, "port": String(port), "requestid": String(requestID)]
                }
                do {
                    let error = try s.machine.openStream(headers: headers(.error))
                    // Like kubectl: the client never writes to the error stream.
                    let fin = s.machine.finishStream(error.streamID)
                    let data = try s.machine.openStream(headers: headers(.data))
                    s.nextRequestID += 1
                    let pair = PortForwardTunnelPair(port: port, requestID: requestID, errorStreamID: error.streamID,
                                                     dataStreamID: data.streamID,
                                                     inboxCapacity: options.streamInboxCapacity)
                    s.routes[error.streamID] = pair
                    s.routes[data.streamID] = pair
                    s.pairs[requestID] = pair
                    return (pair, [error.frame] + (fin.map { [$0] } ?? []) + [data.frame])
                } catch {
                    throw PortForwardError.closed("\(error)")
                }
            }
            pair = opened
            try await sendFrames(frames)
        }
        do {
            try await withTimeout(options.openTimeout, "waiting for the server to accept a stream to port \(port)") {
                try await pair.waitForReplies()
            }
        } catch {
            cancelPair(pair)
            throw error
        }
        return pair
    }

    /// Sends `bytes` on the pair's data stream in frames of at most 128 KiB.
    func write(_ bytes: [UInt8], pair: PortForwardTunnelPair) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + Self.maxDataPayload, bytes.count)
            var frame: [UInt8] = []
            frame.reserveCapacity(8 + end - offset)
            try SPDYFrameEncoder.encodeDataFrameHeader(streamID: pair.dataStreamID, flags: [], length: end - offset,
                                                       into: &frame)
            frame.append(contentsOf: bytes[offset..<end])
            try await writeLock.lock()
            defer { writeLock.unlock() }
            try checkSend(pair)
            try await send(frame)
            offset = end
        }
    }

    /// Half-closes the pair's data stream (empty DATA with FIN); a no-op when
    /// it is finished or reset already.
    func shutdownWrite(pair: PortForwardTunnelPair) async throws {
        try await writeLock.lock()
        defer { writeLock.unlock() }
        // Nothing to do when finished already or reset (like shutdown(2) twice).
        let frame = try state.withLock { s throws(PortForwardError) in
            if let end = s.end { throw end }
            return s.machine.finishStream(pair.dataStreamID)
        }
        guard let frame else { return }
        try await sendFrames([frame])
    }

    /// RST_STREAM CANCEL (sent in the background) for whichever of the
    /// pair's streams is still open; forgets the pair and ends its reads.
    func cancelPair(_ pair: PortForwardTunnelPair) {
        let (frames, drained) = state.withLock { s in
            let frames = [pair.errorStreamID, pair.dataStreamID].compactMap { s.machine.resetStream($0, status: .cancel) }
            forget(pair, in: &s)
            return (frames, s.machine.goAway != nil && s.pairs.isEmpty && s.end == nil && !s.closing)
        }
        pair.sessionEnded(.closed("closed by this client"))
        if !frames.isEmpty { sendInBackground(frames) }
        if drained { Task { await self.close() } }
    }

    private func checkSend(_ pair: PortForwardTunnelPair) throws {
        try state.withLock { s in
            if let end = s.end { throw end }
            guard s.machine.canSend(on: pair.dataStreamID) else {
                if let status = pair.dataResetStatus {
                    throw PortForwardError.streamReset(port: pair.port, status: "data stream: \(status)")
                }
                throw PortForwardError.closed("the stream to port \(pair.port) is shut down for writing or closed")
            }
        }
    }

    // MARK: Ping and close

    /// One SPDY PING round trip.
    func ping() async throws -> Duration {
        let pong = AsyncBoundedChannel<Void>(capacity: 1)
        try await writeLock.lock()
        let start = ContinuousClock.now
        let id: UInt32
        do {
            defer { writeLock.unlock() }
            let (pingID, frame): (UInt32, SPDYFrame) = try state.withLock { s in
                if let end = s.end { throw end }
                do {
                    let (id, frame) = try s.machine.ping()
                    s.pings[id] = pong
                    return (id, frame)
                } catch {
                    throw PortForwardError.closed("\(error)")
                }
            }
            id = pingID
            try await sendFrames([frame])
        }
        defer { _ = state.withLock { $0.pings.removeValue(forKey: id) } }
        try await withTimeout(options.openTimeout, "waiting for the answer to a SPDY PING") {
            guard try await pong.receive() != nil else { throw PortForwardError.closed("the tunnel ended") }
        }
        return ContinuousClock.now - start
    }

    /// RST for open streams, GOAWAY, then the WebSocket close handshake.
    func close() async {
        let frames = state.withLock { s -> [SPDYFrame] in
            guard !s.closing && s.end == nil else { return [] }
            s.closing = true
            return s.machine.close()
        }
        if !frames.isEmpty {
            try? await writeLock.lock()
            try? await sendFrames(frames)
            writeLock.unlock()
        }
        end(.closed("closed by this client"))
        await socket.close(code: .normalClosure)
        await closed()
    }

    // MARK: Reading

    private func readLoop() async {
        var decoder = SPDYFrameDecoder()
        while true {
            let message: WebSocketMessage?
            do {
                message = try await socket.receive()
            } catch {
                end(.closed("the WebSocket failed: \(error)"))
                return
            }
            guard let message else {
                let reason = socket.closeReason
                end(.closed(reason.map { $0.isNormalEnd ? "the server ended the tunnel" : $0.endDescription }
                            ?? "the WebSocket ended"))
                return
            }
            switch message {
            case .binary(let bytes):
                decoder.append(bytes)
            case .text:
                await fail(.protocolViolation("a TEXT message in the tunnel; SPDY travels in BINARY messages only"))
                return
            case .ping, .pong, .close:
                continue
            }
            while true {
                let frame: SPDYFrame?
                do {
                    frame = try decoder.next()
                } catch {
                    if error.isStreamError, let id = error.streamID {
                        resetFromDecoder(id, status: error.rstStatus)
                        continue
                    }
                    await fail(.protocolViolation("malformed SPDY from the server: \(error)"), goAway: error.goAwayStatus)
                    return
                }
                guard let frame else { break }
                let events = state.withLock { $0.machine.receive(frame) }
                for event in events { await perform(event) }
            }
        }
    }

    private func perform(_ event: SPDYClientSession.Event) async {
        switch event {
        case .send(let frame):
            // In the background: the reader must never wait for the write lock
            // (a writer stuck on a full connection would wait for the reader).
            sendInBackground([frame])
        case .replied(let id):
            await route(id)?.replied()
        case .data(let id, let payload):
            guard let pair = route(id) else { return }
            await pair.received(payload, on: pair.kind(of: id))
        case .finished(let id):
            guard let pair = route(id) else { return }
            pair.finished(pair.kind(of: id))
            forgetIfDone(pair)
        case .reset(let id, let status):
            guard let pair = route(id) else { return }
            pair.reset(pair.kind(of: id), status: status)
            forgetIfDone(pair)
        case .pong(let id):
            let pong = state.withLock { $0.pings[id] }
            try? await pong?.send(())
        case .goAway:
            let idle = state.withLock { $0.pairs.isEmpty }
            if idle { Task { await self.close() } }
        }
    }

    private func resetFromDecoder(_ id: UInt32, status: SPDYRstStatus) {
        let frame = state.withLock { $0.machine.resetStream(id, status: status) }
        if let pair = route(id) {
            pair.reset(pair.kind(of: id), status: status)
            forgetIfDone(pair)
        }
        if let frame { sendInBackground([frame]) }
    }

    private func sendInBackground(_ frames: [SPDYFrame]) {
        Task {
            try? await writeLock.lock()
            defer { writeLock.unlock() }
            try? await sendFrames(frames)
        }
    }

    /// A fatal protocol error: GOAWAY (when given), end every stream, close the WebSocket.
    private func fail(_ error: PortForwardError, goAway: SPDYGoAwayStatus? = nil) async {
        if let goAway {
            try? await writeLock.lock()
            try? await sendFrames([.goAway(lastGoodStreamID: 0, status: goAway)])
            writeLock.unlock()
        }
        end(error)
        await socket.close(code: .protocolError, reason: "port-forward tunnel protocol violation")
    }

    /// Marks the session ended and fails every pair and ping (first reason wins).
    private func end(_ error: PortForwardError) {
        let (pairs, pings) = state.withLock { s -> ([PortForwardTunnelPair], [AsyncBoundedChannel<Void>]) in
            if s.end == nil { s.end = error }
            defer { s.routes.removeAll(); s.pairs.removeAll(); s.pings.removeAll() }
            return (Array(s.pairs.values), Array(s.pings.values))
        }
        let reason = state.withLock { $0.end! }
        for pair in pairs { pair.sessionEnded(reason) }
        for ping in pings { ping.finish(throwing: reason) }
    }

    private func route(_ id: UInt32) -> PortForwardTunnelPair? { state.withLock { $0.routes[id] } }

    /// Forgets a pair once the state machine forgot both its streams; a
    /// drained session after GOAWAY then closes.
    private func forgetIfDone(_ pair: PortForwardTunnelPair) {
        let drained = state.withLock { s -> Bool in
            guard !s.machine.isOpen(pair.errorStreamID) && !s.machine.isOpen(pair.dataStreamID) else { return false }
            forget(pair, in: &s)
            return s.machine.goAway != nil && s.pairs.isEmpty && s.end == nil && !s.closing
        }
        if drained { Task { await self.close() } }
    }

    private func forget(_ pair: PortForwardTunnelPair, in s: inout State) {
        if s.routes[pair.errorStreamID] === pair { s.routes[pair.errorStreamID] = nil }
        if s.routes[pair.dataStreamID] === pair { s.routes[pair.dataStreamID] = nil }
        if s.pairs[pair.requestID] === pair { s.pairs[pair.requestID] = nil }
    }

    // MARK: Writing (callers hold the write lock)

    private func sendFrames(_ frames: [SPDYFrame]) async throws {
        var bytes: [UInt8] = []
        try encoder.withLock { encoder in
            for frame in frames { try encoder.encode(frame, into: &bytes) }
        }
        try await send(bytes)
    }

    private func send(_ bytes: [UInt8]) async throws {
        do {
            try await socket.send(binary: bytes)
        } catch let error as WebSocketClosedError {
            throw state.withLock { $0.end } ?? .closed(error.reason?.endDescription ?? "the WebSocket is closed")
        }
    }
}
