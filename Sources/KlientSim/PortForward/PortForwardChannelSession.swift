import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// Port-forward over a WebSocket in channel mode (`v4.channel.k8s.io`,
/// `v4.base64.channel.k8s.io` or no subprotocol), as the kubelet's
/// `websocket.go` serves it.
///
/// Port index i owns data channel 2i and error channel 2i+1; every channel
/// starts with `[channel, port lo, port hi]`. One pod connection per port is
/// dialled at session start; a failed dial puts `error forwarding port …` on
/// the error channel. The WebSocket is closed with code 1000 once every
/// port's forwarding has ended (the pod closed, or the dial failed), or when
/// the client goes away.
final class PortForwardChannelSession: Sendable {
    private let socket: WebSocket
    private let channelProtocol: KubernetesChannelProtocol
    private let ports: [UInt16]
    private let pod: PodContext
    private let faults: StreamFaults
    /// The pod connection of each port index (nil before the dial or after a failure).
    private let targets: Mutex<[Socket?]>
    private let copyBufferSize = 128 * 1024

    /// - Parameter channelProtocol: `.v4` (binary, also used for no subprotocol) or `.v4Base64`.
    init(socket: WebSocket, channelProtocol: KubernetesChannelProtocol, ports: [UInt16], pod: PodContext,
         faults: StreamFaults) {
        self.socket = socket
        self.channelProtocol = channelProtocol
        self.ports = ports
        self.pod = pod
        self.faults = faults
        targets = Mutex(Array(repeating: nil, count: ports.count))
    }

    func run() async {
        for (i, port) in ports.enumerated() {
            let data = KubernetesPortForward.dataChannel(forPortIndex: i)
            let error = KubernetesPortForward.errorChannel(forPortIndex: i)
            guard await send(channel: data, [UInt8(port & 0xFF), UInt8(port >> 8)]),
                  await send(channel: error, [UInt8(port & 0xFF), UInt8(port >> 8)]) else {
                await socket.close()
                return
            }
        }
        // Every port is dialled before client data is read, so nothing the
        // client sends early is lost (the WebSocket inbox holds it meanwhile).
        await withDiscardingTaskGroup { group in
            for index in ports.indices {
                group.addTask { await self.dial(portIndex: index) }
            }
        }
        // The reader ends when the client closes; the ports end on their own.
        async let reading: Void = readFromClient()
        await withDiscardingTaskGroup { group in
            for index in ports.indices {
                group.addTask { await self.copyFromPod(portIndex: index) }
            }
        }
        await socket.close(code: .normalClosure)
        closeTargets()
        await reading
    }

    /// Connects one port, or reports the failure on its error channel.
    private func dial(portIndex index: Int) async {
        let port = ports[index]
        do {
            let target = try await PortForwardTarget(port: port, pod: pod).dial()
            targets.withLock { $0[index] = target }
        } catch {
            _ = await send(channel: KubernetesPortForward.errorChannel(forPortIndex: index),
                           Array(error.message(port: port, pod: pod).utf8))
        }
    }

    /// Pod → client for one port until the pod closes; the client → pod
    /// direction is fed by ``readFromClient()``.
    private func copyFromPod(portIndex index: Int) async {
        guard let target = targets.withLock({ $0[index] }) else { return }
        let channel = KubernetesPortForward.dataChannel(forPortIndex: index)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 + copyBufferSize, alignment: 8)
        defer { buffer.deallocate() }
        buffer[0] = channel
        while true {
            guard let n = try? await target.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[1...])),
                  n > 0 else { break }
            await faults.delayMessage()
            let sent: Bool
            if channelProtocol.isBase64 {
                sent = await send(channel: channel, Array(UnsafeRawBufferPointer(rebasing: buffer[1..<(1 + n)])))
            } else {
                sent = (try? await socket.send(binary: Array(UnsafeRawBufferPointer(rebasing: buffer[0..<(1 + n)])))) != nil
            }
            if !sent { break }
        }
        targets.withLock { $0[index] = nil }
        target.close()
    }

    /// Client → pod: data channels go to their port's connection; the error
    /// channels and unknown channels are ignored like the kubelet does.
    private func readFromClient() async {
        while true {
            guard let message = try? await socket.receive() else { break }
            let payload: [UInt8]
            switch message {
            case .binary(let bytes): payload = bytes
            case .text(let text): payload = Array(text.utf8)
            case .ping, .pong, .close: continue
            }
            guard case .data(let channel, let bytes)? = try? KubernetesChannelMessage.decode(payload, protocol: channelProtocol),
                  !bytes.isEmpty else { continue }
            let (index, isError) = KubernetesPortForward.portIndex(forChannel: channel)
            guard !isError, index < ports.count, let target = targets.withLock({ $0[index] }) else { continue }
            await faults.delayMessage()
            if (try? await target.write(bytes)) == nil {
                // The pod stopped reading; its forward loop ends on its own.
                continue
            }
        }
        closeTargets()
    }

    private func closeTargets() {
        let all = targets.withLock { t in
            defer { t = Array(repeating: nil, count: t.count) }
            return t
        }
        for target in all { target?.close() }
    }

    /// Sends one channel message in the session's framing; false once the WebSocket is closed.
    private func send(channel: UInt8, _ payload: [UInt8]) async -> Bool {
        let (opcode, bytes) = KubernetesChannelMessage.data(channel: channel, payload: payload).encode(for: channelProtocol)
        do {
            if opcode == .text {
                try await socket.send(text: String(decoding: bytes, as: UTF8.self))
            } else {
                try await socket.send(binary: bytes)
            }
            return true
        } catch {
            return false
        }
    }
}
