#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientRPC
import KlientTestSupport
import KlientWire

/// The built `klientd` as a child process with its own socket, state
/// directory, HOME and kubeconfig.
final class KlientdProcess: Sendable {
    let process: TestProcess
    let directory: String
    private let keepDirectory: Bool
    var socketPath: String { directory + "/run/klient/klientd.sock" }
    var kubeconfigPath: String { directory + "/kubeconfig" }

    static var binary: String { TestPython.repositoryRoot + "/.build/debug/klientd" }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A kubeconfig with the given contexts (servers are never contacted).
    static func kubeconfig(contexts: [String]) -> String {
        var text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:6443\"}\n"
        text += "users:\n- name: u\n  user: {token: \"t\"}\ncontexts:\n"
        for context in contexts { text += "- name: \(context)\n  context: {cluster: c, user: u}\n" }
        text += "current-context: \(contexts.first ?? "")\n"
        return text
    }

    /// Starts klientd and waits until its socket answers.
    /// - Parameters:
    ///   - reusing: the directory of an earlier klientd (same socket, state
    ///     and kubeconfig: a restart); its kubeconfig is kept.
    ///   - keepDirectory: leave the directory when this handle goes (for a restart).
    init(contexts: [String] = ["dev", "prod"], extraArguments: [String] = [], reusing: String? = nil,
         keepDirectory: Bool = false, prepare: ((String) throws -> Void)? = nil) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "\(Self.binary) is missing: run swift build first")
        }
        self.keepDirectory = keepDirectory
        directory = reusing ?? NSTemporaryDirectory() + "klientd-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if reusing == nil {
            try Self.kubeconfig(contexts: contexts).write(toFile: directory + "/kubeconfig", atomically: true, encoding: .utf8)
        }
        try prepare?(directory)
        process = try TestProcess(Self.binary, ["--socket", directory + "/run/klient/klientd.sock", "--state-dir",
                                                directory + "/state", "--kubeconfig", directory + "/kubeconfig"]
                                               + extraArguments,
                                  environment: ["HOME": directory + "/home"])
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if let client = try? await RPCClient.connect(path: socketPath) {
                client.close()
                return
            }
            guard ContinuousClock.now < deadline else {
                process.terminate()
                _ = try? await process.finish(timeout: .seconds(5))
                throw Failure(description: "klientd did not start; output:\n\(process.transcript)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A connected client that has said hello.
    func client() async throws -> RPCClient {
        let client = try await RPCClient.connect(path: socketPath)
        _ = try await client.call(RPCMethod.hello,
                                  params: HelloParams(protocolVersion: RPCProtocol.version, client: "tests").json)
        return client
    }

    func signal(_ number: Int32) { kill(process.pid, number) }

    /// SIGTERM, then the exit status.
    func stop() async throws -> Int32 {
        signal(SIGTERM)
        return try await process.finish(timeout: .seconds(30))
    }

    /// Resident memory of the daemon in KiB (VmRSS).
    var residentKiB: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first else { return -1 }
        return Int(value) ?? -1
    }

    deinit {
        process.terminate()
        if !keepDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// A raw line-level connection to a socket, for malformed input.
struct RawControlConnection {
    let socket: Socket
    var pending: [UInt8] = []

    static func connect(_ path: String) async throws -> RawControlConnection {
        RawControlConnection(socket: try await Socket.connect(to: try SocketAddress.unix(path: path)))
    }

    func send(_ text: String) async throws { try await socket.write(Array(text.utf8)) }

    /// The next line the daemon sends, parsed; nil at end of stream.
    mutating func readJSON(timeout: Duration = .seconds(20)) async throws -> JSONValue? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return try JSONValue.parse(line)
            }
            let socket = self.socket
            let bytes = try await withTimeout(timeout, "a reply from klientd") { try await socket.read(maxBytes: 65536) }
            if bytes.isEmpty { return nil }
            pending += bytes
        }
    }

    func close() { socket.close() }
}
