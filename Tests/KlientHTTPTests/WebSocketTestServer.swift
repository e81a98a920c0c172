import KlientHTTP
import KlientIO
import KlientTLS
import KlientWire
import Synchronization

/// The pattern both the Swift tests and Tests/Interop/ws_peer.py use for big messages.
func testPattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}

/// klient's WebSocket echo server with the same commands as ws_peer.py's
/// server: echo, `cmd:ping`, `cmd:fragmented`, `cmd:close`. Records the
/// close reasons of finished connections.
final class WebSocketEchoServer: Sendable {
    let http: HTTPServer
    private final class Recorder: Sendable {
        let closes = Mutex<[WebSocket.CloseReason?]>([])
    }
    private let recorder = Recorder()

    init(tls: TLSContext? = nil) throws {
        let recorder = self.recorder
        http = try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0"), tls: tls) { request in
            var configuration = WebSocket.Configuration()
            configuration.pingInterval = nil
            return WebSocketServer.upgrade(request, supportedSubprotocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"],
                                           configuration: configuration) { socket in
                await Self.echo(socket)
                recorder.closes.withLock { $0.append(socket.closeReason) }
            }
        }
    }

    var url: String { http.url.replacingPrefix("http", with: "ws") }
    var closeReasons: [WebSocket.CloseReason?] { recorder.closes.withLock { $0 } }

    func shutdown() { http.shutdown() }

    private static func echo(_ socket: WebSocket) async {
        do {
            while let message = try await socket.receive() {
                switch message {
                case .text("cmd:ping"):
                    try await socket.ping(Array("klient".utf8))
                    try await socket.send(text: "pong-received")
                case .text("cmd:fragmented"):
                    try await socket.send(fragments: [Array("frag".utf8), Array("ment".utf8), Array("ed ✓".utf8)], text: true)
                    try await socket.send(fragments: [[0, 1], [2, 3]])
                case .text("cmd:close"):
                    await socket.close(code: WebSocketCloseCode(rawValue: 4001), reason: "server-initiated")
                    return
                case .text(let text):
                    try await socket.send(text: text)
                case .binary(let bytes):
                    try await socket.send(binary: bytes)
                default:
                    break
                }
            }
        } catch {
            // The connection failed; its close reason records why.
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
