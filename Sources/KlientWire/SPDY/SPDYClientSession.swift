/// The client side of a SPDY/3.1 session as a pure state machine (SPDY
/// draft 3 §2.3, with spdystream's conventions as the kubelet uses them):
/// stream and ping IDs, SYN_REPLY, half-close, reset and GOAWAY.
///
/// It never touches I/O or the clock. Calls that open, finish or reset a
/// stream return the frames to send, in order; ``receive(_:)`` takes one
/// decoded frame from the server and returns what happened as ``Event``s
/// (some are frames to send back). Header compression stays with
/// ``SPDYFrameEncoder``/``SPDYFrameDecoder``: encode the returned frames in
/// the order they are returned, under the same lock that ordered the calls,
/// so stream IDs reach the wire in increasing order.
///
/// Rules kept here: client stream and ping IDs are odd; DATA before a
/// stream's SYN_REPLY is ignored; a stream is forgotten once both sides
/// finished it or either reset it; streams the server opens are refused
/// (port-forward servers open none); after GOAWAY no stream opens and the
/// streams above its last-good ID count as refused. SETTINGS and
/// WINDOW_UPDATE are ignored (spdystream does no flow control).
public struct SPDYClientSession: Sendable {
    /// Something the I/O layer must act on.
    public enum Event: Equatable, Sendable {
        /// Write this frame.
        case send(SPDYFrame)
        /// The server accepted the stream (SYN_REPLY).
        case replied(streamID: UInt32)
        /// Bytes on an accepted stream.
        case data(streamID: UInt32, payload: [UInt8])
        /// The server half-closed the stream (FIN); no more data follows.
        case finished(streamID: UInt32)
        /// The stream was reset by the server, or refused by its GOAWAY.
        case reset(streamID: UInt32, status: SPDYRstStatus)
        /// The echo of one of our pings.
        case pong(id: UInt32)
        /// The server will accept no new streams.
        case goAway(lastGoodStreamID: UInt32, status: SPDYGoAwayStatus)
    }

    struct StreamState: Equatable, Sendable {
        var replied = false
        var localFinished = false
        var remoteFinished = false
    }

    private var streamIDs = SPDYStreamIDAllocator(role: .client)
    private var pingIDs = SPDYPingIDAllocator(role: .client)
    private(set) var streams: [UInt32: StreamState] = [:]
    private var outstandingPings: Set<UInt32> = []
    /// The GOAWAY received, if any.
    public private(set) var goAway: (lastGoodStreamID: UInt32, status: SPDYGoAwayStatus)?
    public private(set) var isClosed = false

    public init() {}

    /// Streams neither finished by both sides nor reset.
    public var openStreamCount: Int { streams.count }

    /// Whether `streamID` is open (not forgotten yet).
    public func isOpen(_ streamID: UInt32) -> Bool { streams[streamID] != nil }

    /// Whether the server replied to `streamID`.
    public func isReplied(_ streamID: UInt32) -> Bool { streams[streamID]?.replied ?? false }

    /// Whether DATA may still be sent on `streamID`.
    public func canSend(on streamID: UInt32) -> Bool {
        guard let stream = streams[streamID] else { return false }
        return !stream.localFinished && !isClosed
    }

    // MARK: Our side

    /// Opens a stream: the SYN_STREAM to send (priority 0, no associated
    /// stream). With `finished`, the SYN_STREAM carries FIN.
    /// - Throws: ``SPDYSessionError`` after GOAWAY or close, or when IDs ran out.
    public mutating func openStream(headers: SPDYHeaders, finished: Bool = false) throws(SPDYSessionError)
        -> (streamID: UInt32, frame: SPDYFrame) {
        if isClosed { throw .closed }
        if let goAway { throw .goneAway(lastGoodStreamID: goAway.lastGoodStreamID, status: goAway.status) }
        let id: UInt32
        do { id = try streamIDs.next() } catch { throw .streamIDsExhausted }
        streams[id] = StreamState(localFinished: finished)
        return (id, .synStream(streamID: id, associatedStreamID: 0, priority: 0, slot: 0,
                               flags: finished ? .fin : [], headers: headers))
    }

    /// Checks that DATA may be sent on `streamID` (payloads are not copied
    /// through the state machine; write them directly).
    /// - Throws: ``SPDYSessionError/streamNotWritable(streamID:)``.
    public func checkSend(on streamID: UInt32) throws(SPDYSessionError) {
        if isClosed { throw .closed }
        guard canSend(on: streamID) else { throw .streamNotWritable(streamID: streamID) }
    }

    /// Half-closes `streamID`: an empty DATA frame with FIN, or nil when it
    /// is unknown, reset or already finished by us.
    public mutating func finishStream(_ streamID: UInt32) -> SPDYFrame? {
        guard !isClosed, var stream = streams[streamID], !stream.localFinished else { return nil }
        stream.localFinished = true
        store(streamID, stream)
        return .data(streamID: streamID, flags: .fin, payload: [])
    }

    /// Resets `streamID` (RST_STREAM), or nil when it is no longer open.
    public mutating func resetStream(_ streamID: UInt32, status: SPDYRstStatus = .cancel) -> SPDYFrame? {
        guard !isClosed, streams.removeValue(forKey: streamID) != nil else { return nil }
        return .rstStream(streamID: streamID, status: status)
    }

    /// Starts a ping: its ID (odd) and the PING frame.
    /// - Throws: ``SPDYSessionError/closed``.
    public mutating func ping() throws(SPDYSessionError) -> (id: UInt32, frame: SPDYFrame) {
        if isClosed { throw .closed }
        let id = pingIDs.next()
        outstandingPings.insert(id)
        return (id, .ping(id: id))
    }

    /// Ends the session the way spdystream's `Close` does: RST_STREAM CANCEL
    /// for every open stream (in ID order), then GOAWAY(OK). Afterwards
    /// nothing opens or sends. Returns no frames when closed already.
    public mutating func close() -> [SPDYFrame] {
        guard !isClosed else { return [] }
        isClosed = true
        var frames = streams.keys.sorted().map { SPDYFrame.rstStream(streamID: $0, status: .cancel) }
        streams.removeAll()
        outstandingPings.removeAll()
        // We accept no server streams, so the last one we processed is 0.
        frames.append(.goAway(lastGoodStreamID: 0, status: .ok))
        return frames
    }

    // MARK: The server's side

    /// Takes one frame from the server.
    public mutating func receive(_ frame: SPDYFrame) -> [Event] {
        if isClosed { return [] }
        switch frame {
        case let .data(id, flags, payload):
            guard var stream = streams[id], stream.replied, !stream.remoteFinished else { return [] }
            var events: [Event] = payload.isEmpty ? [] : [.data(streamID: id, payload: payload)]
            if flags.contains(.fin) {
                stream.remoteFinished = true
                store(id, stream)
                events.append(.finished(streamID: id))
            }
            return events

        case let .synReply(id, flags, _):
            guard var stream = streams[id] else { return [] } // reset by us meanwhile
            if stream.replied {
                streams[id] = nil
                return [.send(.rstStream(streamID: id, status: .streamInUse)), .reset(streamID: id, status: .streamInUse)]
            }
            stream.replied = true
            var events: [Event] = [.replied(streamID: id)]
            if flags.contains(.fin) {
                stream.remoteFinished = true
                events.append(.finished(streamID: id))
            }
            store(id, stream)
            return events

        case let .headers(id, flags, _):
            guard flags.contains(.fin), var stream = streams[id], stream.replied, !stream.remoteFinished else { return [] }
            stream.remoteFinished = true
            store(id, stream)
            return [.finished(streamID: id)]

        case let .rstStream(id, status):
            guard streams.removeValue(forKey: id) != nil else { return [] }
            return [.reset(streamID: id, status: status)]

        case let .synStream(id, _, _, _, _, _):
            let status: SPDYRstStatus = SPDYEndpointRole.client.owns(id) ? .protocolError : .refusedStream
            return [.send(.rstStream(streamID: id, status: status))]

        case let .ping(id):
            if SPDYEndpointRole.client.pingOrigin(of: id) == .peer { return [.send(.ping(id: id))] }
            return outstandingPings.remove(id) != nil ? [.pong(id: id)] : []

        case let .goAway(last, status):
            goAway = (last, status)
            var events: [Event] = [.goAway(lastGoodStreamID: last, status: status)]
            for id in streams.keys.sorted() where id > last {
                streams[id] = nil
                events.append(.reset(streamID: id, status: .refusedStream))
            }
            return events

        case .settings, .windowUpdate, .noop:
            return []
        }
    }

    /// Saves `stream`, or forgets it once both directions finished.
    private mutating func store(_ id: UInt32, _ stream: StreamState) {
        streams[id] = stream.localFinished && stream.remoteFinished ? nil : stream
    }
}
