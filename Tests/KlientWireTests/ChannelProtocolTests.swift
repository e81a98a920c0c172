import Testing
@testable import KlientWire

@Suite("Kubernetes channel protocols")
struct ChannelProtocolTests {
    @Test("Subprotocol names and properties")
    func names() {
        #expect(KubernetesChannelProtocol.allCases.map(\.rawValue) == [
            "v5.channel.k8s.io", "v4.channel.k8s.io", "v4.base64.channel.k8s.io", "channel.k8s.io",
            "base64.channel.k8s.io", "SPDY/3.1+portforward.k8s.io",
        ])
        #expect(KubernetesChannelProtocol.v5.supportsHalfClose && !KubernetesChannelProtocol.v4.supportsHalfClose)
        #expect(KubernetesChannelProtocol.v4Base64.isBase64 && KubernetesChannelProtocol.v1Base64.isBase64)
        #expect(!KubernetesChannelProtocol.portForwardTunnel.isChannelFramed)
        #expect(KubernetesChannelProtocol.execOffer.map(\.rawValue) == ["v5.channel.k8s.io", "v4.channel.k8s.io"])
        #expect(!KubernetesChannelProtocol.v1.errorChannelCarriesStatus && KubernetesChannelProtocol.v4.errorChannelCarriesStatus)
    }

    @Test("Stream ids")
    func ids() {
        #expect([KubernetesChannelID.stdin, .stdout, .stderr, .error, .resize, .close].map(\.rawValue) == [0, 1, 2, 3, 4, 255])
    }

    @Test("Binary framing: channel byte plus payload")
    func binary() throws {
        let (opcode, bytes) = KubernetesChannelMessage.data(channel: 1, payload: Array("hi".utf8)).encode(for: .v4)
        #expect(opcode == .binary)
        #expect(bytes == [0x01, 0x68, 0x69])
        #expect(try KubernetesChannelMessage.decode(bytes, protocol: .v4) == .data(channel: 1, payload: [0x68, 0x69]))
        #expect(KubernetesChannelMessage.data(channel: 2, payload: []).encode(for: .v5).payload == [0x02])
        #expect(try KubernetesChannelMessage.decode([0x03], protocol: .v5) == .data(channel: 3, payload: []))
        #expect(try KubernetesChannelMessage.decode([], protocol: .v5) == nil)
        // Unknown channels pass through for the receiver to ignore; 255 is only CLOSE in v5.
        #expect(try KubernetesChannelMessage.decode([9, 1], protocol: .v4) == .data(channel: 9, payload: [1]))
        #expect(try KubernetesChannelMessage.decode([255, 0, 0], protocol: .v4) == .data(channel: 255, payload: [0, 0]))
    }

    @Test("Base64 framing: '0'+channel then base64, TEXT")
    func base64() throws {
        let (opcode, bytes) = KubernetesChannelMessage.data(channel: 1, payload: Array("hello".utf8)).encode(for: .v4Base64)
        #expect(opcode == .text)
        #expect(String(decoding: bytes, as: UTF8.self) == "1aGVsbG8=")
        #expect(try KubernetesChannelMessage.decode(Array("1aGVsbG8=".utf8), protocol: .v4Base64) == .data(channel: 1, payload: Array("hello".utf8)))
        #expect(try KubernetesChannelMessage.decode(Array("0".utf8), protocol: .v1Base64) == .data(channel: 0, payload: []))
        #expect(throws: KubernetesChannelError.invalidBase64(channel: 2)) {
            try KubernetesChannelMessage.decode(Array("2!!!".utf8), protocol: .v4Base64)
        }
        #expect(throws: KubernetesChannelError.invalidBase64ChannelPrefix(0x01)) {
            try KubernetesChannelMessage.decode([0x01, 0x41], protocol: .v4Base64)
        }
    }

    @Test("v5 CLOSE encode and strict decode")
    func v5Close() throws {
        #expect(KubernetesChannelMessage.close(channel: 0).encode(for: .v5) == (.binary, [0xFF, 0x00]))
        #expect(try KubernetesChannelMessage.decode([0xFF, 0x00], protocol: .v5) == .close(channel: 0))
        #expect(try KubernetesChannelMessage.decode([0xFF, 0x04], protocol: .v5) == .close(channel: 4))
        #expect(throws: KubernetesChannelError.invalidCloseLength(1)) { try KubernetesChannelMessage.decode([0xFF], protocol: .v5) }
        #expect(throws: KubernetesChannelError.invalidCloseLength(3)) { try KubernetesChannelMessage.decode([0xFF, 0, 0], protocol: .v5) }
        #expect(throws: KubernetesChannelError.closeOfUnknownChannel(5)) { try KubernetesChannelMessage.decode([0xFF, 0x05], protocol: .v5) }
    }

    @Test("Binary frame fast path equals encode-then-frame")
    func fastPath() throws {
        let key = WebSocketMaskingKey(1, 2, 3, 4)
        for role in [WebSocketRole.client, .server] {
            let encoder = WebSocketFrameEncoder(role: role)
            for length in [0, 1, 124, 125, 200, 70000] {
                let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 13) }
                var fast: [UInt8] = []
                payload.withUnsafeBytes {
                    KubernetesChannelMessage.encodeBinaryFrame(channel: 1, payload: $0, encoder: encoder, maskingKey: key, into: &fast)
                }
                let message = KubernetesChannelMessage.data(channel: 1, payload: payload).encode(for: .v4)
                let slow = encoder.encode(WebSocketFrame(opcode: message.opcode, maskingKey: key, payload: message.payload))
                #expect(fast == slow, "\(role) \(length)")
            }
        }
    }

    @Test("Resize JSON")
    func resize() throws {
        let size = KubernetesTerminalSize(width: 80, height: 24)
        #expect(String(decoding: size.jsonBytes(), as: UTF8.self) == "{\"Width\":80,\"Height\":24}\n")
        #expect(String(decoding: size.jsonBytes(trailingNewline: false), as: UTF8.self) == "{\"Width\":80,\"Height\":24}")
        #expect(try KubernetesTerminalSize.parse(size.jsonBytes()) == size)
        #expect(try KubernetesTerminalSize.parse(Array(#"{"width": 100, "HEIGHT": 50, "x": "y"}"#.utf8)) == KubernetesTerminalSize(width: 100, height: 50))
        #expect(try KubernetesTerminalSize.parse(Array("{}".utf8)) == KubernetesTerminalSize(width: 0, height: 0))
        for bad in ["", "[1]", #"{"Width":-1}"#, #"{"Width":70000}"#, #"{"Width":"80"}"#] {
            #expect(throws: KubernetesChannelError.self) { try KubernetesTerminalSize.parse(Array(bad.utf8)) }
        }
        #expect(throws: KubernetesChannelError.self) { try KubernetesTerminalSize.parse([UInt8](repeating: 0x20, count: 2000)) }
    }
}
