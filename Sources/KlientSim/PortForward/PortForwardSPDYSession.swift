import KlientIO
import KlientWire
import Synchronization

/// The server side of a port-forward SPDY/3.1 connection, as the kubelet
/// runs it (`httpstream.go` over moby/spdystream), over any byte stream: the
/// upgraded HTTP connection, or a ``WebSocketByteStream`` for the KEP-4006
/// tunnel.
///
/// Per forwarded TCP connection the client opens an `error` and a `data`
/// stream carrying `streamtype`, `port` and `requestid` headers; every valid
/// stream gets an empty SYN_REPLY, invalid ones a RST_STREAM. When both streams
/// of a request id are there, the pod port is dialled and bytes are copied
/// both ways: client FIN on the data stream → write shutdown to the pod (the
/// pod's answer still flows back); pod EOF → empty DATA with FIN, and after
/// ``Limits/podEOFGrace`` the forwarding ends; pod reset → RST_STREAM; a dial failure →
/// `error forwarding port …` on the error stream. The error stream is FINed
/// when forwarding ends. PINGs of the client are echoed; after GOAWAY no new
/// streams are accepted and the session ends with its last stream.
///
/// SPDY has no flow control in spdystream, so backpressure is by queue
/// bounds: each stream buffers at most ``Limits/streamQueueFrames`` DATA
/// frames, and when one is full the session stops reading the transport.
final class PortForwardSPDYSession: Sendable {
    struct Limits: Sendable {
        /// DATA frames queued per stream before the session reader waits.
        var streamQueueFrames = 32
        /// How long a request id may wait for its second stream (kubelet: 30 s).
        var pairTimeout: Duration = .seconds(30)
        /// Bytes read from the transport at once.
        var transportReadSize = 256 * 1024
        /// Bytes read from the pod port per DATA frame.
        var copyBufferSize = 128 * 1024
        /// How long the client may still send after the pod closed its side
        /// before the forwarding ends (containerd waits 1 s).
        var podEOFGrace: Duration = .seconds(1)
    }

    private struct Pair {
        var error: PortForwardSPDYStream?
        var data: PortForwardSPDYStream?
        var timeout: Task<Void, Never>?
    }

    private struct State {
        var streams: [UInt32: PortForwardSPDYStream] = [:]
        var pairs: [String: Pair] = [:]
        var lastClientStreamID: UInt32 = 0
        var goneAway = false
        var closed = false
    }

    private let transport: any ByteStream
    private let pod: PodContext
    private let faults: StreamFaults
    private let limits: Limits
    private let writeLock = AsyncLock()
    private let encoder = Mutex(SPDYFrameEncoder())
    private let state = Mutex(State())

    init(transport: any ByteStream, pod: PodContext, faults: StreamFaults, limits: Limits = Limits()) {
        self.transport = transport
        self.pod = pod
        self.faults = faults
        self.limits = limits
    }

    /// Serves the connection until the client closes it, it fails, or a GOAWAY
    /// drains; then closes every pod connection and the transport.
    func run(leftover: [UInt8] = []) async {
        await withDiscardingTaskGroup { group in
            var decoder = SPDYFrameDecoder()
            decoder.append(leftover)
            reading: while true {
                do throws(SPDYProtocolError) {
                    while let frame = try decoder.next() {
                        if let (error, data) = await handle(frame) {
                            group.addTask { await self.forward(error: error, data: data) }
                        }
                    }
                } catch {
                    if error.isStreamError, let id = error.streamID {
                        await reset(streamID: id, status: error.rstStatus)
                        continue reading
                    }
                    let last = state.withLock { $0.lastClientStreamID }
                    await send(.goAway(lastGoodStreamID: last, status: error.goAwayStatus))
                    break reading
                }
                do {
                    let bytes = try await transport.read(maxBytes: limits.transportReadSize)
                    if bytes.isEmpty { break }
                    decoder.append(bytes)
                } catch {
                    break
                }
            }
            tearDown()
        }
        transport.close()
    }

    // MARK: Frames from the client

    /// Acts on one frame; returns a stream pair that is ready to forward.
    private func handle(_ frame: SPDYFrame) async -> (PortForwardSPDYStream, PortForwardSPDYStream)? {
        switch frame {
        case let .synStream(id, _, _, _, flags, headers):
            return await open(id: id, flags: flags, headers: headers)
        case let .data(id, flags, payload):
            guard let stream = state.withLock({ $0.streams[id] }) else { return nil }
            if !payload.isEmpty && stream.kind == .data {
                // Waits while the queue is full: backpressure on the whole connection,
                // as in spdystream. A finished queue (stream done) drops the bytes.
                try? await stream.inbound.send(payload)
            }
            if flags.contains(.fin) { stream.inbound.finish() }
        case let .rstStream(id, status):
            if let stream = state.withLock({ $0.streams[id] }) {
                stream.markReset(status: status)
            }
        case let .ping(id):
            if SPDYEndpointRole.server.pingOrigin(of: id) == .peer { await send(.ping(id: id)) }
        case .goAway:
            let idle = state.withLock { s in
                s.goneAway = true
                return s.streams.isEmpty
            }
            if idle { transport.close() }
        case .synReply, .headers, .settings, .windowUpdate, .noop:
            break // no server-opened streams; spdystream ignores flow control
        }
        return nil
    }

    /// SYN_STREAM: validates like the kubelet's `httpStreamReceived`, replies,
    /// and pairs by request id.
    private func open(id: UInt32, flags: SPDYControlFlags, headers: SPDYHeaders)
        async -> (PortForwardSPDYStream, PortForwardSPDYStream)? {
        enum Verdict { case refuse(SPDYRstStatus), accept }
        let verdict: Verdict = state.withLock { s in
            if s.closed || s.goneAway { return .refuse(.refusedStream) }
            guard SPDYEndpointRole.client.owns(id), id > s.lastClientStreamID else { return .refuse(.protocolError) }
            s.lastClientStreamID = id
            return .accept
        }
        if case .refuse(let status) = verdict {
            await send(.rstStream(streamID: id, status: status))
            return nil
        }
        guard let portText = headers["port"], let port = UInt16(portText), port > 0,
              let kind = headers["streamtype"].flatMap(PortForwardSPDYStream.Kind.init(rawValue:))
        else {
            // spdystream's Reset: the handler refused the stream.
            await send(.rstStream(streamID: id, status: .cancel))
            return nil
        }
        let requestID = headers["requestid"] ?? Self.legacyRequestID(streamID: id, kind: kind)
        let stream = PortForwardSPDYStream(id: id, kind: kind, port: port, requestID: requestID,
                                           queueCapacity: limits.streamQueueFrames)
        if flags.contains(.fin) { stream.inbound.finish() }
        state.withLock { $0.streams[id] = stream }
        await send(.synReply(streamID: id, flags: [], headers: SPDYHeaders()))

        enum Pairing { case waiting(created: Bool), complete(PortForwardSPDYStream, PortForwardSPDYStream),
                       duplicate(PortForwardSPDYStream?) }
        let pairing: Pairing = state.withLock { s in
            var pair = s.pairs[requestID] ?? Pair()
            let created = s.pairs[requestID] == nil
            switch kind {
            case .error:
                if pair.error != nil { return .duplicate(pair.error) }
                pair.error = stream
            case .data:
                if pair.data != nil { return .duplicate(pair.error) }
                pair.data = stream
            }
            if let e = pair.error, let d = pair.data {
                pair.timeout?.cancel()
                s.pairs[requestID] = nil
                return .complete(e, d)
            }
            s.pairs[requestID] = pair
            return .waiting(created: created)
        }
        switch pairing {
        case .complete(let e, let d):
            return (e, d)
        case .duplicate(let errorStream):
            if let errorStream {
                await sendData(errorStream, Array("error processing stream for request \(requestID): \(kind.rawValue) stream already assigned".utf8))
            }
            await reset(streamID: id, status: .protocolError)
        case .waiting(let created):
            if created { startPairTimeout(requestID) }
        }
        return nil
    }

    /// Old clients send no `requestid`; the kubelet derives one from the stream
    /// id (error = id, data = id − 2).
    static func legacyRequestID(streamID: UInt32, kind: PortForwardSPDYStream.Kind) -> String {
        kind == .error ? String(streamID) : String(Int(streamID) - 2)
    }

    private func startPairTimeout(_ requestID: String) {
        let timeout = limits.pairTimeout
        let task = Task { [self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            guard let pair = state.withLock({ $0.pairs.removeValue(forKey: requestID) }) else { return }
            if let e = pair.error {
                await sendData(e, Array("(request=\(requestID)) timed out waiting for streams".utf8))
            }
            for stream in [pair.error, pair.data].compactMap({ $0 }) {
                await sendFin(stream)
                stream.abandon()
                remove(stream)
            }
        }
        state.withLock { s in
            if s.pairs[requestID] != nil { s.pairs[requestID]?.timeout = task } else { task.cancel() }
        }
    }

    // MARK: Forwarding

    /// Dials the pod port and copies both ways until both directions end.
    private func forward(error errorStream: PortForwardSPDYStream, data dataStream: PortForwardSPDYStream) async {
        defer {
            errorStream.abandon()
            dataStream.abandon()
            remove(errorStream)
            remove(dataStream)
        }
        let port = dataStream.port
        let target: Socket
        do {
            target = try await PortForwardTarget(port: port, pod: pod).dial()
        } catch {
            await sendData(errorStream, Array(error.message(port: port, pod: pod).utf8))
            await sendFin(errorStream)
            await sendFin(dataStream)
            return
        }
        dataStream.attach(target)
        defer { target.close() }
        let toPod = Task { await self.copyToPod(dataStream, target) }
        await copyFromPod(target, dataStream)
        // The pod finished sending. Like containerd, give the client's direction
        // a short grace period, then end the forwarding: clients before 1.31
        // close their local connection only after the error stream ends.
        let grace = limits.podEOFGrace
        let cutter = Task {
            try? await Task.sleep(for: grace)
            if !Task.isCancelled {
                dataStream.abandon()
                target.close()
            }
        }
        await toPod.value
        cutter.cancel()
        await sendFin(errorStream)
    }

    /// Client → pod; the client's FIN becomes a write shutdown of the pod connection.
    private func copyToPod(_ stream: PortForwardSPDYStream, _ target: Socket) async {
        do {
            while let chunk = try await stream.inbound.receive() {
                await faults.delayMessage()
                try await target.write(chunk)
            }
            try? await target.shutdownWrite()
        } catch {
            // Reset by the client, or the pod stopped reading: drop what still comes.
            stream.inbound.finish()
        }
    }

    /// Pod → client; EOF becomes FIN, a pod-side reset becomes RST_STREAM.
    private func copyFromPod(_ target: Socket, _ stream: PortForwardSPDYStream) async {
        let size = limits.copyBufferSize
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 + size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n: Int
            do {
                n = try await target.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[8...]))
            } catch {
                if !stream.isReset && !state.withLock({ $0.closed }) {
                    await reset(streamID: stream.id, status: .cancel)
                }
                return
            }
            if n == 0 {
                await sendFin(stream)
                return
            }
            await faults.delayMessage()
            guard !stream.isReset else { return }
            // The frame header goes in front of the payload already in the buffer.
            let word1 = UInt32(n)
            let header: [UInt8] = [UInt8(stream.id >> 24 & 0x7F), UInt8(stream.id >> 16 & 0xFF),
                                   UInt8(stream.id >> 8 & 0xFF), UInt8(stream.id & 0xFF),
                                   0, UInt8(word1 >> 16 & 0xFF), UInt8(word1 >> 8 & 0xFF), UInt8(word1 & 0xFF)]
            for i in 0..<8 { buffer[i] = header[i] }
            let frame = Array(UnsafeRawBufferPointer(rebasing: buffer[0..<(8 + n)]))
            guard await write(frame) else { return }
        }
    }

    // MARK: Sending

    /// Encodes and writes one frame; false if the transport failed.
    @discardableResult
    private func send(_ frame: SPDYFrame) async -> Bool {
        do {
            try await writeLock.lock()
        } catch {
            return false
        }
        defer { writeLock.unlock() }
        // Encoded under the write lock: header blocks must hit the wire in compression order.
        guard let bytes = try? encoder.withLock({ try $0.encode(frame) }) else { return false }
        do {
            try await transport.write(bytes)
            return true
        } catch {
            transport.close()
            return false
        }
    }

    /// Writes pre-encoded DATA frame bytes.
    private func write(_ bytes: [UInt8]) async -> Bool {
        do {
            try await writeLock.lock()
        } catch {
            return false
        }
        defer { writeLock.unlock() }
        do {
            try await transport.write(bytes)
            return true
        } catch {
            transport.close()
            return false
        }
    }

    private func sendData(_ stream: PortForwardSPDYStream, _ payload: [UInt8]) async {
        guard !stream.isReset, !payload.isEmpty else { return }
        await send(.data(streamID: stream.id, flags: [], payload: payload))
    }

    private func sendFin(_ stream: PortForwardSPDYStream) async {
        guard stream.claimFin() else { return }
        await send(.data(streamID: stream.id, flags: .fin, payload: []))
    }

    /// Resets a stream from our side (RST_STREAM) and forgets it.
    private func reset(streamID: UInt32, status: SPDYRstStatus) async {
        if let stream = state.withLock({ $0.streams[streamID] }) {
            guard stream.markReset(status: status) else { return }
        }
        await send(.rstStream(streamID: streamID, status: status))
    }

    // MARK: Bookkeeping

    private func remove(_ stream: PortForwardSPDYStream) {
        let drained = state.withLock { s in
            if s.streams[stream.id] === stream { s.streams[stream.id] = nil }
            return s.goneAway && s.streams.isEmpty
        }
        if drained { transport.close() }
    }

    /// The connection is over: fail every queue, close every pod connection.
    private func tearDown() {
        let (streams, pairs) = state.withLock { s in
            s.closed = true
            defer { s.streams.removeAll(); s.pairs.removeAll() }
            return (Array(s.streams.values), Array(s.pairs.values))
        }
        for pair in pairs { pair.timeout?.cancel() }
        for stream in streams { stream.markReset(status: .cancel) }
        transport.close()
    }
}
