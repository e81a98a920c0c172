import KlientHTTP
import KlientIO
import KlientWire

/// Exec/attach over a WebSocket channel protocol (v5, v4, v1 and the base64
/// variants): 1 channel byte + payload per message, BINARY from the server.
final class ExecWebSocketTransport: RemoteCommandTransport {
    /// Subprotocols in the order we list them; the client's order decides.
    static let supported: [KubernetesChannelProtocol] = [.v5, .v4, .v4Base64, .v1, .v1Base64]

    let socket: WebSocket
    let proto: KubernetesChannelProtocol
    private let faults: StreamFaults

    init(socket: WebSocket, proto: KubernetesChannelProtocol, faults: StreamFaults) {
        self.socket = socket
        self.proto = proto
        self.faults = faults
    }

    /// The empty message on the first open of stdout, stderr, error (the
    /// kubelet's "connection established" signal).
    func sendInitialMessage(stdout: Bool, stderr: Bool) async throws {
        try await sendRaw(channel: stdout ? 1 : stderr ? 2 : 3, [])
    }

    func nextEvent() async -> RemoteCommandEvent? {
        while true {
            let message: WebSocketMessage?
            do { message = try await socket.receive() } catch { return nil }
            let payload: [UInt8]
            switch message {
            case nil: return nil
            case .binary(let bytes): payload = bytes
            case .text(let text): payload = Array(text.utf8)
            default: continue
            }
            let decoded: KubernetesChannelMessage?
            do { decoded = try KubernetesChannelMessage.decode(payload, protocol: proto) } catch {
                // A malformed message ends the session, as a protocol error does in the kubelet.
                await socket.close(code: .protocolError, reason: "\(error)")
                return nil
            }
            switch decoded {
            case .data(channel: KubernetesChannelID.stdin.rawValue, let bytes):
                await faults.delayMessage()
                return .stdin(bytes)
            case .data(channel: KubernetesChannelID.resize.rawValue, let bytes):
                // kubectl ends each object with "\n"; one object per message.
                if let size = try? KubernetesTerminalSize.parse(bytes) { return .resize(size) }
            case .close(channel: KubernetesChannelID.stdin.rawValue):
                return .stdinClosed
            default:
                continue // unknown channels and empty messages are ignored
            }
        }
    }

    func send(channel: UInt8, _ bytes: [UInt8]) async throws {
        await faults.delayMessage()
        try await sendRaw(channel: channel, bytes)
    }

    private func sendRaw(channel: UInt8, _ bytes: [UInt8]) async throws {
        let (opcode, payload) = KubernetesChannelMessage.data(channel: channel, payload: bytes).encode(for: proto)
        if opcode == .text {
            try await socket.send(text: String(decoding: payload, as: UTF8.self))
        } else {
            try await socket.send(binary: payload)
        }
    }

    func finish(_ status: RemoteCommandStatus) async {
        let body = proto.errorChannelCarriesStatus ? status.jsonBytes() : status.plainTextBytes()
        if !body.isEmpty { try? await sendRaw(channel: KubernetesChannelID.error.rawValue, body) }
        await socket.close(code: .normalClosure)
    }

    func abort() {
        Task { [socket] in await socket.close(code: .goingAway) }
    }
}
