import Testing
@testable import KlientWire

@Suite("Kubernetes port-forward channels")
struct ChannelPortForwardTests {
    @Test("Channel numbers per port index")
    func numbering() {
        #expect(KubernetesPortForward.dataChannel(forPortIndex: 0) == 0)
        #expect(KubernetesPortForward.errorChannel(forPortIndex: 0) == 1)
        #expect(KubernetesPortForward.dataChannel(forPortIndex: 3) == 6)
        #expect(KubernetesPortForward.errorChannel(forPortIndex: 3) == 7)
        #expect(KubernetesPortForward.portIndex(forChannel: 7) == (3, true))
        #expect(KubernetesPortForward.portIndex(forChannel: 6) == (3, false))
    }

    @Test("First message vectors")
    func firstMessage() throws {
        #expect(KubernetesPortForward.firstMessage(channel: 0, port: 80) == [0x00, 0x50, 0x00])
        #expect(KubernetesPortForward.firstMessage(channel: 3, port: 8443) == [0x03, 0xFB, 0x20])
        let decoded = try #require(try KubernetesChannelMessage.decode(KubernetesPortForward.firstMessage(channel: 3, port: 8443), protocol: .v4))
        guard case .data(let channel, let payload) = decoded else { Issue.record("not data"); return }
        try KubernetesPortForward.validateFirstPayload(payload, channel: channel, expectedPort: 8443)
        #expect(throws: KubernetesChannelError.portForwardWrongPort(channel: 3, expected: 443, received: 8443)) {
            try KubernetesPortForward.validateFirstPayload(payload, channel: channel, expectedPort: 443)
        }
        #expect(throws: KubernetesChannelError.portForwardFirstMessageLength(channel: 0, length: 2)) {
            try KubernetesPortForward.validateFirstPayload([0x50], channel: 0, expectedPort: 80)
        }
        #expect(throws: KubernetesChannelError.portForwardFirstMessageLength(channel: 0, length: 4)) {
            try KubernetesPortForward.validateFirstPayload([0x50, 0, 0], channel: 0, expectedPort: 80)
        }
    }

    @Test("Session state: announcements, then data and errors; unknown channels ignored")
    func session() throws {
        var state = PortForwardChannelState(ports: [80, 443])
        #expect(!state.allAnnounced)
        #expect(try state.receive(channel: 0, payload: [0x50, 0x00]) == .announced(portIndex: 0, isErrorChannel: false))
        #expect(state.hasAnnounced(channel: 0) && !state.hasAnnounced(channel: 1))
        #expect(try state.receive(channel: 1, payload: [0x50, 0x00]) == .announced(portIndex: 0, isErrorChannel: true))
        #expect(try state.receive(channel: 0, payload: [1, 2, 3]) == .data(portIndex: 0, bytes: [1, 2, 3]))
        // A 2-byte data message after the announcement is plain data.
        #expect(try state.receive(channel: 0, payload: [0x50, 0x00]) == .data(portIndex: 0, bytes: [0x50, 0x00]))
        #expect(try state.receive(channel: 2, payload: [0xBB, 0x01]) == .announced(portIndex: 1, isErrorChannel: false))
        #expect(try state.receive(channel: 3, payload: [0xBB, 0x01]) == .announced(portIndex: 1, isErrorChannel: true))
        #expect(state.allAnnounced)
        #expect(try state.receive(channel: 3, payload: Array("error forwarding port 443".utf8))
            == .error(portIndex: 1, message: Array("error forwarding port 443".utf8)))
        #expect(try state.receive(channel: 4, payload: [1]) == .ignored(channel: 4))
    }

    @Test("Session state rejects a bad first message")
    func sessionErrors() {
        var wrongPort = PortForwardChannelState(ports: [80])
        #expect(throws: KubernetesChannelError.portForwardWrongPort(channel: 0, expected: 80, received: 81)) {
            try wrongPort.receive(channel: 0, payload: [81, 0])
        }
        var wrongLength = PortForwardChannelState(ports: [80])
        #expect(throws: KubernetesChannelError.portForwardFirstMessageLength(channel: 1, length: 1)) {
            try wrongLength.receive(channel: 1, payload: [])
        }
        #expect(!wrongLength.hasAnnounced(channel: 1))
    }
}
