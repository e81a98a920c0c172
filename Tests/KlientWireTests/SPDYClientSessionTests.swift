import KlientTestSupport
import KlientWire
import Testing

/// ``SPDYClientSession``: the client side of a port-forward SPDY/3.1 session
/// as a pure state machine, fed the server's bytes in every split.
@Suite struct SPDYClientSessionTests {
    static func headers(_ kind: String, requestID: Int = 0) -> SPDYHeaders {
        ["streamtype": .init(kind), "port": "80", "requestid": .init(String(requestID))]
    }

    /// A session with one port-forward pair open, like kubectl: error stream 1
    /// (FINed at once), data stream 3; and the frames it produced.
    static func pairSession() throws -> (SPDYClientSession, [SPDYFrame]) {
        var session = SPDYClientSession()
        let error = try session.openStream(headers: headers("error"))
        let finished = session.finishStream(error.streamID)
        let fin = try #require(finished)
        let data = try session.openStream(headers: headers("data"))
        return (session, [error.frame, fin, data.frame])
    }

    @Test func aPairOpensWithOddIDsAndTheErrorStreamFinishedLikeKubectl() throws {
        let (session, frames) = try Self.pairSession()
        #expect(frames == [
            .synStream(streamID: 1, associatedStreamID: 0, priority: 0, slot: 0, flags: [], headers: Self.headers("error")),
            .data(streamID: 1, flags: .fin, payload: []),
            .synStream(streamID: 3, associatedStreamID: 0, priority: 0, slot: 0, flags: [], headers: Self.headers("data")),
        ])
        #expect(session.openStreamCount == 2)
        #expect(!session.canSend(on: 1))
        #expect(session.canSend(on: 3))
        // On the wire: the FIN is an 8-byte DATA header with flag 0x01 and length 0.
        let encoder = SPDYFrameEncoder()
        var bytes: [UInt8] = []
        for frame in frames { try encoder.encode(frame, into: &bytes) }
        let synLength = Int(bytes[5]) << 16 | Int(bytes[6]) << 8 | Int(bytes[7])
        #expect(Array(bytes[0..<4]) == hexBytes("80030001")) // control, version 3, SYN_STREAM
        #expect(Array(bytes[(8 + synLength)..<(16 + synLength)]) == hexBytes("00000001 01000000"))
        // And a server decodes them back (one inflate context for the connection).
        #expect(spdyDecodeAll([bytes]) == frames.map(SPDYDecodeEvent.frame))
    }

    /// What a kubelet-like server sends back, with the odd cases mixed in.
    static func serverConversation() throws -> (bytes: [UInt8], expected: [SPDYClientSession.Event]) {
        let encoder = SPDYFrameEncoder()
        let frames: [SPDYFrame] = [
            .data(streamID: 3, flags: [], payload: Array("too early".utf8)),      // before SYN_REPLY: ignored
            .synReply(streamID: 1, flags: [], headers: SPDYHeaders()),
            .synReply(streamID: 3, flags: [], headers: SPDYHeaders()),
            .settings(flags: [], entries: [SPDYSettingsEntry(id: 7, value: 65536)]), // ignored
            .data(streamID: 3, flags: [], payload: Array("hello".utf8)),
            .ping(id: 2),                                                           // server's ping: echo
            .ping(id: 99),                                                          // odd, not ours: ignored
            .windowUpdate(streamID: 3, delta: 4096),                                // ignored
            .synStream(streamID: 2, associatedStreamID: 0, priority: 0, slot: 0, flags: [], headers: ["x": "y"]),
            .data(streamID: 1, flags: [], payload: Array("error forwarding port 80".utf8)),
            .data(streamID: 1, flags: .fin, payload: []),
            .data(streamID: 7, flags: [], payload: [1, 2, 3]),                      // unknown stream: ignored
            .data(streamID: 3, flags: .fin, payload: Array("bye".utf8)),
            .data(streamID: 3, flags: [], payload: [0]),                            // after FIN: ignored
            .goAway(lastGoodStreamID: 3, status: .ok),
        ]
        var bytes: [UInt8] = []
        for frame in frames { try encoder.encode(frame, into: &bytes) }
        let expected: [SPDYClientSession.Event] = [
            .replied(streamID: 1),
            .replied(streamID: 3),
            .data(streamID: 3, payload: Array("hello".utf8)),
            .send(.ping(id: 2)),
            .send(.rstStream(streamID: 2, status: .refusedStream)),
            .data(streamID: 1, payload: Array("error forwarding port 80".utf8)),
            .finished(streamID: 1),
            .data(streamID: 3, payload: Array("bye".utf8)),
            .finished(streamID: 3),
            .goAway(lastGoodStreamID: 3, status: .ok),
        ]
        return (bytes, expected)
    }

    /// Feeds `chunks` through a fresh decoder into a fresh pair session.
    static func run(_ chunks: [[UInt8]]) throws -> [SPDYClientSession.Event] {
        var (session, _) = try pairSession()
        var decoder = SPDYFrameDecoder()
        var events: [SPDYClientSession.Event] = []
        for chunk in chunks {
            decoder.append(chunk)
            while let frame = try decoder.next() { events += session.receive(frame) }
        }
        return events
    }

    @Test func theServersBytesGiveTheSameEventsInEverySplit() throws {
        let (bytes, expected) = try Self.serverConversation()
        let (reference, mismatches) = try decodeEverySplit(bytes) { try Self.run($0) }
        #expect(reference == expected)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }

    @Test func aStreamIsForgottenOnceBothSidesFinished() throws {
        var (session, _) = try Self.pairSession()
        _ = session.receive(.synReply(streamID: 1, flags: [], headers: SPDYHeaders()))
        _ = session.receive(.synReply(streamID: 3, flags: [], headers: SPDYHeaders()))
        #expect(session.receive(.data(streamID: 1, flags: .fin, payload: [])) == [.finished(streamID: 1)])
        #expect(!session.isOpen(1)) // we FINed it at open, the server now too
        #expect(session.receive(.data(streamID: 3, flags: .fin, payload: [])) == [.finished(streamID: 3)])
        #expect(session.isOpen(3)) // we may still send
        #expect(session.canSend(on: 3))
        #expect(session.finishStream(3) == .data(streamID: 3, flags: .fin, payload: []))
        #expect(session.finishStream(3) == nil)
        #expect(!session.isOpen(3))
        #expect(session.openStreamCount == 0)
        #expect(throws: SPDYSessionError.streamNotWritable(streamID: 3)) { try session.checkSend(on: 3) }
    }

    @Test func resetsFromEitherSide() throws {
        var (session, _) = try Self.pairSession()
        _ = session.receive(.synReply(streamID: 3, flags: [], headers: SPDYHeaders()))
        #expect(session.receive(.rstStream(streamID: 3, status: .cancel)) == [.reset(streamID: 3, status: .cancel)])
        #expect(session.receive(.data(streamID: 3, flags: [], payload: [1])) == [])
        #expect(session.receive(.rstStream(streamID: 3, status: .cancel)) == [])
        #expect(session.resetStream(3) == nil)
        #expect(session.resetStream(1) == .rstStream(streamID: 1, status: .cancel))
        #expect(session.receive(.synReply(streamID: 1, flags: [], headers: SPDYHeaders())) == []) // we reset it meanwhile
        var encoded: [UInt8] = []
        try SPDYFrameEncoder().encode(.rstStream(streamID: 1, status: .cancel), into: &encoded)
        #expect(encoded == hexBytes("80030003 00000008 00000001 00000005"))
    }

    @Test func aSecondSynReplyResetsTheStream() throws {
        var (session, _) = try Self.pairSession()
        #expect(session.receive(.synReply(streamID: 3, flags: [], headers: SPDYHeaders())) == [.replied(streamID: 3)])
        #expect(session.receive(.synReply(streamID: 3, flags: [], headers: SPDYHeaders())) == [
            .send(.rstStream(streamID: 3, status: .streamInUse)), .reset(streamID: 3, status: .streamInUse)])
        #expect(!session.isOpen(3))
    }

    @Test func synReplyOrHeadersWithFinHalfCloseTheServerSide() throws {
        var (session, _) = try Self.pairSession()
        #expect(session.receive(.synReply(streamID: 3, flags: .fin, headers: SPDYHeaders()))
            == [.replied(streamID: 3), .finished(streamID: 3)])
        #expect(session.receive(.synReply(streamID: 1, flags: [], headers: SPDYHeaders())) == [.replied(streamID: 1)])
        #expect(session.receive(.headers(streamID: 1, flags: [], headers: ["a": "b"])) == [])
        #expect(session.receive(.headers(streamID: 1, flags: .fin, headers: SPDYHeaders())) == [.finished(streamID: 1)])
    }

    @Test func pingsUseOddIDsAndOnlyOurEchoesArePongs() throws {
        var session = SPDYClientSession()
        let first = try session.ping()
        let second = try session.ping()
        #expect([first.id, second.id] == [1, 3])
        #expect(first.frame == .ping(id: 1))
        var encoded: [UInt8] = []
        try SPDYFrameEncoder().encode(first.frame, into: &encoded)
        #expect(encoded == hexBytes("80030006 00000004 00000001"))
        #expect(session.receive(.ping(id: 3)) == [.pong(id: 3)])
        #expect(session.receive(.ping(id: 3)) == []) // answered already
        #expect(session.receive(.ping(id: 1)) == [.pong(id: 1)])
        #expect(session.receive(.ping(id: 4)) == [.send(.ping(id: 4))])
    }

    @Test func goAwayRefusesNewStreamsAndThoseAboveTheLastGoodOne() throws {
        var (session, _) = try Self.pairSession()
        let extra = try session.openStream(headers: Self.headers("error", requestID: 1))
        #expect(extra.streamID == 5)
        #expect(session.receive(.goAway(lastGoodStreamID: 3, status: .ok))
            == [.goAway(lastGoodStreamID: 3, status: .ok), .reset(streamID: 5, status: .refusedStream)])
        #expect(session.goAway?.lastGoodStreamID == 3)
        #expect(throws: SPDYSessionError.goneAway(lastGoodStreamID: 3, status: .ok)) {
            _ = try session.openStream(headers: Self.headers("data", requestID: 1))
        }
        #expect(session.isOpen(3)) // streams below the last good one carry on
    }

    @Test func closeResetsOpenStreamsThenSendsGoAway() throws {
        var (session, _) = try Self.pairSession()
        #expect(session.close() == [.rstStream(streamID: 1, status: .cancel), .rstStream(streamID: 3, status: .cancel),
                                    .goAway(lastGoodStreamID: 0, status: .ok)])
        #expect(session.close() == [])
        #expect(session.isClosed)
        #expect(throws: SPDYSessionError.closed) { _ = try session.openStream(headers: Self.headers("error")) }
        #expect(throws: SPDYSessionError.closed) { _ = try session.ping() }
        #expect(session.receive(.synReply(streamID: 3, flags: [], headers: SPDYHeaders())) == [])
        var encoded: [UInt8] = []
        try SPDYFrameEncoder().encode(.goAway(lastGoodStreamID: 0, status: .ok), into: &encoded)
        #expect(encoded == hexBytes("80030007 00000008 00000000 00000000"))
    }

    @Test func aFinishedOpenSendsFinOnTheSynStream() throws {
        var session = SPDYClientSession()
        let opened = try session.openStream(headers: Self.headers("error"), finished: true)
        guard case .synStream(_, _, _, _, let flags, _) = opened.frame else { Issue.record("not a SYN_STREAM"); return }
        #expect(flags == .fin)
        #expect(!session.canSend(on: opened.streamID))
        #expect(session.finishStream(opened.streamID) == nil)
    }
}
