// klient-bench: transport benchmarks for docs/performance.md.
//
//   klient-bench [ws-throughput] [tls-connections] [--runs N] [--megabytes N]
//                [--message-size BYTES] [--connections N]
//   klient-bench list-pods --kubeconfig FILE [--page-size N]   (see ListPods.swift)
//   klient-bench echo-server [--listen 127.0.0.1:0]            (see EchoServer.swift)
//   klient-bench pf-load throughput|latency|concurrent --port P (see PortForwardLoad.swift)
//
// Everything runs in this one process on loopback: a TLS WebSocket server
// built on KlientHTTP and the klient clients talking to it.
import Foundation
import KlientHTTP
import KlientIO
import KlientTLS
import KlientWire

struct Options {
    var benchmarks: [String] = []
    var runs = 5
    var megabytes = 1024
    var messageSize = 64 * 1024
    var connections = 1000
    var directions: Set<String> = ["down", "up"]

    init(_ arguments: [String]) throws {
        var it = arguments.makeIterator()
        func value(_ flag: String) throws -> Int {
            guard let text = it.next(), let n = Int(text), n > 0 else {
                throw BenchError("\(flag) needs a positive integer")
            }
            return n
        }
        while let arg = it.next() {
            switch arg {
            case "--runs": runs = try value(arg)
            case "--megabytes": megabytes = try value(arg)
            case "--message-size": messageSize = try value(arg)
            case "--connections": connections = try value(arg)
            case "--direction":
                guard let d = it.next(), ["down", "up"].contains(d) else { throw BenchError("--direction takes down or up") }
                directions = [d]
            case "ws-throughput", "ws-plain-throughput", "tls-throughput", "tls-connections": benchmarks.append(arg)
            case "-h", "--help":
                print("usage: klient-bench [ws-throughput] [ws-plain-throughput] [tls-throughput] [tls-connections]\n"
                      + "                    [--runs N] [--megabytes N] "
                      + "[--message-size BYTES] [--connections N] [--direction down|up]")
                exit(0)
            default: throw BenchError("unknown argument \(arg) (try --help)")
            }
        }
        if benchmarks.isEmpty { benchmarks = ["ws-throughput", "tls-connections"] }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A TLS WebSocket server whose sessions obey two commands:
/// "send N SIZE" (send N binary messages, then "done") and
/// "recv N" (receive N binary messages, then answer "done").
func startServer(_ tls: TLSContext?) throws -> HTTPServer {
    try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0"), tls: tls) { request in
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = nil
        return WebSocketServer.upgrade(request, configuration: configuration) { socket in
            while let message = try? await socket.receive() {
                guard case .text(let command) = message else { continue }
                let words = command.split(separator: " ")
                if words.first == "send", words.count == 3, let n = Int(words[1]), let size = Int(words[2]) {
                    let payload = [UInt8](repeating: 0xA5, count: size)
                    for _ in 0..<n { try? await socket.send(binary: payload) }
                    try? await socket.send(text: "done")
                } else if words.first == "recv", words.count == 2, let n = Int(words[1]) {
                    var received = 0
                    while received < n, case .binary = try? await socket.receive() { received += 1 }
                    try? await socket.send(text: "done")
                }
            }
        }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ gbps: [Double]) -> String {
    String(format: "median %.2f GB/s (runs: %@)", median(gbps), gbps.map { String(format: "%.2f", $0) }.joined(separator: ", "))
}

func wsThroughput(_ options: Options, server: HTTPServer, clientTLS: TLSContext?) async throws {
    let client = HTTPClient()
    let endpoint = try HTTPEndpoint(url: server.url, tls: clientTLS)
    var configuration = WebSocket.Configuration()
    configuration.pingInterval = nil
    let socket = try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/", configuration: configuration)
    let count = options.megabytes * 1_048_576 / options.messageSize
    let bytes = Double(count * options.messageSize)
    print("WebSocket over \(clientTLS == nil ? "plain TCP (reference, no TLS)" : "TLS"), \(count) messages of \(options.messageSize) bytes "
          + "(\(options.megabytes) MiB) per run, \(options.runs) runs")

    var down: [Double] = []
    for _ in 0..<(options.directions.contains("down") ? options.runs : 0) {
        let start = ContinuousClock.now
        try await socket.send(text: "send \(count) \(options.messageSize)")
        var received = 0
        while let message = try await socket.receive() {
            if case .binary(let payload) = message { received += payload.count } else { break }
        }
        guard received == count * options.messageSize else { throw BenchError("received \(received) bytes") }
        down.append(bytes / (ContinuousClock.now - start).seconds / 1e9)
    }
    if !down.isEmpty { print("  server → client (unmasked): " + format(down)) }

    var up: [Double] = []
    let payload = [UInt8](repeating: 0x5A, count: options.messageSize)
    for _ in 0..<(options.directions.contains("up") ? options.runs : 0) {
        let start = ContinuousClock.now
        try await socket.send(text: "recv \(count)")
        for _ in 0..<count { try await socket.send(binary: payload) }
        guard try await socket.receive() == .text("done") else { throw BenchError("no done") }
        up.append(bytes / (ContinuousClock.now - start).seconds / 1e9)
    }
    if !up.isEmpty { print("  client → server (masked):   " + format(up)) }
    await socket.close()
}

/// Raw TLS over TCP, no WebSocket: the floor the WebSocket numbers stand on.
func tlsThroughput(_ options: Options, serverTLS: TLSContext, clientTLS: TLSContext) async throws {
    let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
    defer { listener.close() }
    let total = options.megabytes * 1_048_576
    print("TLS over TCP (reference, no WebSocket), \(options.megabytes) MiB per run in \(options.messageSize)-byte writes, \(options.runs) runs")
    var results: [Double] = []
    for _ in 0..<options.runs {
        let sender = Task {
            let socket = try await listener.accept()
            let tls = try await TLSStream.server(over: socket, context: serverTLS)
            let chunk = [UInt8](repeating: 0xA5, count: options.messageSize)
            var sent = 0
            while sent < total {
                try await tls.write(chunk)
                sent += chunk.count
            }
            try await tls.shutdownWrite()
            _ = try? await tls.read(maxBytes: 1)
            tls.close()
        }
        let socket = try await Socket.connect(to: listener.localAddress)
        let tls = try await TLSStream.client(over: socket, context: clientTLS, host: "127.0.0.1",
                                             port: Int(listener.localAddress.port!))
        let start = ContinuousClock.now
        var received = 0
        while true {
            let bytes = try await tls.read(maxBytes: 256 * 1024)
            if bytes.isEmpty { break }
            received += bytes.count
        }
        results.append(Double(received) / (ContinuousClock.now - start).seconds / 1e9)
        tls.close()
        try await sender.value
    }
    print("  server → client: " + format(results))
}

func tlsConnections(_ options: Options, server: HTTPServer, clientTLS: TLSContext) async throws {
    try ProcessStats.raiseFileDescriptorLimit()
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let client = HTTPClient()
    let endpoint = try HTTPEndpoint(url: server.url, tls: clientTLS)
    let before = try ProcessStats.threadCount()
    var sockets: [WebSocket] = []
    let start = ContinuousClock.now
    for _ in 0..<options.connections {
        sockets.append(try await WebSocketClient.connect(client: client, endpoint: endpoint, target: "/"))
    }
    let elapsed = ContinuousClock.now - start
    // Every connection carries a message both ways, so all of them are live.
    for socket in sockets { try await socket.send(text: "send 1 16") }
    for socket in sockets {
        guard case .binary = try await socket.receive(), try await socket.receive() == .text("done") else {
            throw BenchError("a connection did not answer")
        }
    }
    let threads = try ProcessStats.threadCount()
    let fds = try ProcessStats.openFileDescriptorCount()
    let rss = residentMegabytes()
    let stats = client.statistics
    print("\(options.connections) open WebSocket-over-TLS connections (both ends in this process: "
          + "\(2 * options.connections) TLS endpoints)")
    print(String(format: "  opened in %.2f s; TLS handshakes %d, resumed %d", elapsed.seconds, stats.tlsHandshakes, stats.tlsResumptions))
    print("  threads: \(threads) (before: \(before); target ≤ 2 × \(cores) cores + 4 = \(2 * cores + 4))")
    print("  open fds: \(fds); resident memory: \(rss) MiB")
    for socket in sockets { await socket.close() }
    if threads > 2 * cores + 4 { throw BenchError("thread target missed: \(threads) threads") }
}

func residentMegabytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return -1 }
    return kb / 1024
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

do {
    if CommandLine.arguments.dropFirst().first == "list-pods" {
        try await listPods(Array(CommandLine.arguments.dropFirst(2)))
        exit(0)
    }
    if CommandLine.arguments.dropFirst().first == "echo-server" {
        try await echoServer(Array(CommandLine.arguments.dropFirst(2)))
        exit(0)
    }
    if CommandLine.arguments.dropFirst().first == "pf-load" {
        exit(try await portForwardLoad(Array(CommandLine.arguments.dropFirst(2))) ? 0 : 1)
    }
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let ca = try CertificateAuthority.create(commonName: "klient-bench CA")
    let serverCertificate = try ca.issueServerCertificate(commonName: "localhost", dnsNames: ["localhost"],
                                                          ipAddresses: ["127.0.0.1"])
    let serverTLS = try TLSContext(configuration: .server(identity: serverCertificate.identity))
    let server = try startServer(serverTLS)
    let clientTLS = try TLSContext(configuration: .client(trustRoots: .pem(ca.certificatePEM)))
    for benchmark in options.benchmarks {
        switch benchmark {
        case "ws-throughput": try await wsThroughput(options, server: server, clientTLS: clientTLS)
        case "ws-plain-throughput":
            let plain = try startServer(nil)
            try await wsThroughput(options, server: plain, clientTLS: nil)
            plain.shutdown()
        case "tls-throughput": try await tlsThroughput(options, serverTLS: serverTLS, clientTLS: clientTLS)
        default: try await tlsConnections(options, server: server, clientTLS: clientTLS)
        }
    }
    server.shutdown()
} catch {
    FileHandle.standardError.write(Data("klient-bench: \(error)\n".utf8))
    exit(1)
}
