import Testing
@testable import KlientWire

@Suite("WebSocket connection state machine")
struct WebSocketConnectionStateMachineTests {
    typealias SM = WebSocketConnectionStateMachine
    let t0 = ContinuousClock.Instant.now

    func machine(_ config: SM.Configuration = .init()) -> SM {
        SM(role: .client, configuration: config, now: t0)
    }

    @Test("Ping is answered with a pong carrying the same payload; data is delivered")
    func pingPong() {
        var sm = machine()
        #expect(sm.receive(.ping([1, 2, 3])) == .sendPong([1, 2, 3]))
        #expect(sm.receive(.pong([9])) == .none)
        #expect(sm.receive(.text("hi")) == .deliver(.text("hi")))
        #expect(sm.receive(.binary([7])) == .deliver(.binary([7])))
        #expect(sm.state == .open && sm.canSendData)
    }

    @Test("We close: send Close, no data afterwards, peer's reply ends it")
    func weClose() {
        var sm = machine()
        #expect(sm.close(code: .normalClosure, reason: "done", now: t0) == .sendClose(WebSocketClosePayload(code: .normalClosure, reason: "done")))
        #expect(sm.state == .closing)
        #expect(!sm.canSendData)
        #expect(sm.close(now: t0) == .none) // only one Close
        #expect(sm.receive(.ping([1])) == .none)
        #expect(sm.receive(.binary([1])) == .deliver(.binary([1]))) // peer data still in flight
        #expect(sm.receive(.close(code: .normalClosure, reason: "")) == .disconnect)
        #expect(sm.state == .closed)
        #expect(sm.closeReason == .peerClosed(code: .normalClosure, reason: ""))
        #expect(sm.receive(.text("late")) == .none)
    }

    @Test("Peer closes: echo its code, then disconnect")
    func peerCloses() {
        var sm = machine()
        #expect(sm.receive(.close(code: WebSocketCloseCode(4001), reason: "app")) ==
            .sendCloseAndDisconnect(WebSocketClosePayload(code: WebSocketCloseCode(4001))))
        #expect(sm.state == .closed)
        #expect(sm.closeReason == .peerClosed(code: WebSocketCloseCode(4001), reason: "app"))
        #expect(!sm.canSendData)

        var empty = machine()
        #expect(empty.receive(.close(code: nil, reason: "")) == .sendCloseAndDisconnect(WebSocketClosePayload(code: nil)))
    }

    @Test("Protocol errors send the mapped close code and disconnect", arguments: [
        (WebSocketProtocolError.reservedBitsSet(0x40), UInt16(1002)),
        (.messageTooLarge(length: 10, limit: 5), 1009),
        (.invalidUTF8, 1007),
    ])
    func protocolError(error: WebSocketProtocolError, code: UInt16) {
        var sm = machine()
        let action = sm.receiveError(error)
        guard case .sendCloseAndDisconnect(let payload) = action else {
            Issue.record("expected sendCloseAndDisconnect, got \(action)")
            return
        }
        #expect(payload.code?.rawValue == code)
        #expect(payload.encode().count <= 125)
        #expect(sm.state == .closed)
        #expect(sm.closeReason == .protocolError(error))
        #expect(sm.receiveError(error) == .none)
    }

    @Test("A protocol error while closing just disconnects (no second Close)")
    func errorWhileClosing() {
        var sm = machine()
        _ = sm.close(now: t0)
        #expect(sm.receiveError(.invalidUTF8) == .disconnect)
        #expect(sm.state == .closed)
    }

    @Test("Pings are due every interval; any inbound byte postpones the timeout")
    func pingSchedule() {
        var sm = machine(.init(pingInterval: .seconds(5), inactivityTimeout: .seconds(12), closeTimeout: .seconds(3)))
        #expect(sm.nextDeadline == t0 + .seconds(5))
        #expect(sm.tick(now: t0 + .seconds(4)) == .none)
        #expect(sm.tick(now: t0 + .seconds(5)) == .sendPing([0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(sm.tick(now: t0 + .seconds(6)) == .none)
        sm.bytesReceived(now: t0 + .seconds(7))
        #expect(sm.lastInbound == t0 + .seconds(7))
        #expect(sm.tick(now: t0 + .seconds(10)) == .sendPing([0, 0, 0, 0, 0, 0, 0, 2]))
        #expect(sm.nextDeadline == t0 + .seconds(15))
        #expect(sm.tick(now: t0 + .seconds(15)) == .sendPing([0, 0, 0, 0, 0, 0, 0, 3]))
        #expect(sm.nextDeadline == t0 + .seconds(19)) // 7 + 12
        #expect(sm.tick(now: t0 + .seconds(19)) == .peerTimedOut)
        #expect(sm.state == .closed)
        #expect(sm.closeReason == .peerTimedOut)
        #expect(sm.nextDeadline == nil)
        #expect(sm.tick(now: t0 + .seconds(30)) == .none)
    }

    @Test("Waiting for a slow consumer is backpressure, not a dead peer")
    func deliveryBlockedSuspendsTheTimeout() {
        var sm = machine(.init(pingInterval: nil, inactivityTimeout: .seconds(10), closeTimeout: .seconds(3)))
        sm.deliveryBlocked(true, now: t0 + .seconds(1))
        #expect(sm.isDeliveryBlocked)
        #expect(sm.nextDeadline == t0 + .seconds(10))
        // The deadline passes while the reader waits: another period starts instead of a timeout.
        #expect(sm.tick(now: t0 + .seconds(10)) == .none)
        #expect(sm.state == .open)
        #expect(sm.nextDeadline == t0 + .seconds(20))
        #expect(sm.tick(now: t0 + .seconds(45)) == .none)
        // The wait ends: the period restarts from then, and silence counts again.
        sm.deliveryBlocked(false, now: t0 + .seconds(50))
        #expect(sm.nextDeadline == t0 + .seconds(60))
        #expect(sm.tick(now: t0 + .seconds(59)) == .none)
        #expect(sm.tick(now: t0 + .seconds(60)) == .peerTimedOut)
    }

    @Test("Pings and timeouts can be disabled")
    func disabledTimers() {
        var sm = machine(.init(pingInterval: nil, inactivityTimeout: nil))
        #expect(sm.nextDeadline == nil)
        #expect(sm.tick(now: t0 + .seconds(1000)) == .none)
    }

    @Test("No reply to our Close within the timeout disconnects")
    func closeTimeout() {
        var sm = machine(.init(closeTimeout: .seconds(3)))
        _ = sm.close(now: t0 + .seconds(1))
        #expect(sm.nextDeadline == t0 + .seconds(4))
        #expect(sm.tick(now: t0 + .seconds(3)) == .none)
        #expect(sm.tick(now: t0 + .seconds(4)) == .disconnect)
        #expect(sm.closeReason == .closeReplyTimedOut)
    }

    @Test("Transport EOF without Close is recorded")
    func transportClosed() {
        var sm = machine()
        sm.transportClosed()
        #expect(sm.state == .closed)
        #expect(sm.closeReason == .transportClosed)
        #expect(sm.close(now: t0) == .none)
    }
}
