import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientWire
import Synchronization

/// An HTTP server whose handler sends `/exec` and `/attach` to an
/// ExecAttachHandler for one fabricated pod.
final class ExecHarness: Sendable {
    let server: HTTPServer
    let handler: ExecAttachHandler
    let pod: PodContext
    let registry = StreamRegistry()
    let faults = StreamFaults()

    init(containers: [String] = ["main"], runtime: any PodRuntimeAccess = FakeRuntime(attachment: nil)) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("exec-\(UUID())/pod").path
        let object: JSONValue = ["metadata": ["name": "web-1", "namespace": "default"],
                                 "spec": ["containers": .array(containers.map { ["name": .string($0), "env": [["name": "GREETING", "value": "hi from env"]]] })]]
        let pod = PodContext(namespace: "default", name: "web-1", uid: "uid-1", object: object, workingDirectory: directory)
        let handler = ExecAttachHandler(registry: registry, faults: faults)
        self.pod = pod
        self.handler = handler
        server = try HTTPServer.start(on: .ipv4("127.0.0.1", port: 0)) { request in
            if request.path.hasSuffix("/attach") {
                return await handler.attach(request, pod: pod, runtime: runtime)
            }
            return await handler.exec(request, pod: pod)
        }
    }

    deinit {
        server.shutdown()
        try? FileManager.default.removeItem(atPath: (pod.workingDirectory as NSString).deletingLastPathComponent)
    }

    var port: UInt16 { server.localAddress.port! }

    /// Opens an exec/attach WebSocket with `query` (without `?`).
    func connect(_ query: String, subprotocols: [String] = ["v5.channel.k8s.io"], subresource: String = "exec") async throws -> WebSocket {
        let client = HTTPClient()
        let endpoint = try HTTPEndpoint(url: server.url)
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = nil
        return try await WebSocketClient.connect(
            client: client, endpoint: endpoint, target: "/api/v1/namespaces/default/pods/web-1/\(subresource)?\(query)",
            subprotocols: subprotocols, configuration: configuration)
    }

    /// A plain request's status and body.
    func plainRequest(_ method: String, _ query: String, headers: [String] = [], subresource: String = "exec") async throws -> (head: String, body: String) {
        let socket = try await Socket.connect(to: .ipv4("127.0.0.1", port: port))
        defer { socket.close() }
        let lines = ["\(method) /api/v1/namespaces/default/pods/web-1/\(subresource)?\(query) HTTP/1.1", "Host: localhost",
                     "Content-Length: 0"] + headers
        try await socket.write(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8))
        var received: [UInt8] = []
        while true {
            let bytes = try await withTimeout(.seconds(30), "reading a response") { try await socket.read(maxBytes: 65536) }
            if bytes.isEmpty { break }
            received += bytes
            let text = String(decoding: received, as: UTF8.self)
            if let split = text.range(of: "\r\n\r\n") {
                let head = String(text[..<split.lowerBound])
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                let body = String(text[split.upperBound...])
                if body.utf8.count >= length { return (head, body) }
            }
        }
        return (String(decoding: received, as: UTF8.self), "")
    }
}

/// Everything a channel-protocol session delivered, by channel, in order.
struct ChannelTranscript: Sendable {
    var messages: [(channel: UInt8, payload: [UInt8])] = []
    var closeCode: WebSocketCloseCode?

    func bytes(_ channel: UInt8) -> [UInt8] { messages.filter { $0.channel == channel }.flatMap(\.payload) }
    func text(_ channel: UInt8) -> String { String(decoding: bytes(channel), as: UTF8.self) }
    /// Messages on `channel` that carried data (the initial empty one excluded).
    func count(_ channel: UInt8) -> Int { messages.filter { $0.channel == channel && !$0.payload.isEmpty }.count }
}

/// Reads binary channel messages until the server closes; fails on TEXT.
func readTranscript(_ socket: WebSocket, until stop: (@Sendable (ChannelTranscript) -> Bool)? = nil) async throws -> ChannelTranscript {
    try await withTimeout(.seconds(60), "reading an exec session") {
        var transcript = ChannelTranscript()
        while let message = try await socket.receive() {
            guard case .binary(let bytes) = message, let channel = bytes.first else {
                throw ExecTestFailure(description: "expected a binary channel message, got \(message)")
            }
            transcript.messages.append((channel, Array(bytes.dropFirst())))
            if let stop, stop(transcript) { return transcript }
        }
        transcript.closeCode = socket.peerCloseCode
        return transcript
    }
}

struct ExecTestFailure: Error, CustomStringConvertible {
    let description: String
}

/// `command=a&command=b…` for an argv.
func commandQuery(_ argv: [String]) -> String {
    argv.map { "command=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }.joined(separator: "&")
}

/// A runtime with at most one attachable container.
struct FakeRuntime: PodRuntimeAccess {
    let attachment: FakeAttachment?
    func attachment(namespace: String, pod: String, container: String) -> (any ContainerAttachment)? { attachment }
}

/// A container whose output is driven by the test and whose stdin is recorded;
/// it echoes stdin to stdout upper-cased and ends when stdin is closed.
final class FakeAttachment: ContainerAttachment {
    let isTTY = false
    private let state = Mutex<(continuations: [AsyncStream<(channel: UInt8, bytes: [UInt8])>.Continuation], closed: Bool)>(([], false))

    func subscribeOutput() -> AsyncStream<(channel: UInt8, bytes: [UInt8])> {
        let (stream, continuation) = AsyncStream<(channel: UInt8, bytes: [UInt8])>.makeStream()
        state.withLock { $0.continuations.append(continuation) }
        return stream
    }

    func emit(_ channel: UInt8, _ text: String) {
        for continuation in state.withLock({ $0.continuations }) { continuation.yield((channel, Array(text.utf8))) }
    }

    var subscriberCount: Int { state.withLock { $0.continuations.count } }

    func writeStdin(_ bytes: [UInt8]) async throws {
        emit(1, String(decoding: bytes, as: UTF8.self).uppercased())
    }

    func closeStdin() {
        let all = state.withLock { state in
            state.closed = true
            return state.continuations
        }
        for continuation in all { continuation.finish() }
    }

    func resize(width: UInt16, height: UInt16) {}
}

extension WebSocket {
    /// The code of the server's Close.
    var peerCloseCode: WebSocketCloseCode? {
        if case .peerClosed(let code, _) = closeReason { return code }
        return nil
    }
}
