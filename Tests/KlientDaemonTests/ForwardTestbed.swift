#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientTestSupport
import KlientWire

/// klient-sim (a Deployment `web` with Service `web` whose pod port 8080,
/// named `http`, is a ``TCPTestTarget``), klientd on the sim's kubeconfig,
/// and klientctl, all built binaries.
final class ForwardTestbed: Sendable {
    let target: TCPTestTarget
    let sim: SimServeProcess
    let daemon: KlientdProcess

    static var klientctl: String { TestPython.repositoryRoot + "/.build/debug/klientctl" }

    static func manifest(targetAddress: String, replicas: Int = 1) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {"klient-sim/port.8080": "\(targetAddress)"}
            spec:
              containers:
              - name: main
                image: busybox
                command: [sleep, "100000"]
                ports: [{name: http, containerPort: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          selector: {app: web}
          ports: [{name: web, port: 80, targetPort: http}]
        """
    }

    init(mode: TCPTestTarget.Mode = .echo, simArguments: [String] = []) async throws {
        target = try TCPTestTarget(mode)
        let seed = NSTemporaryDirectory() + "klient-fwd-seed-\(UUID().uuidString.prefix(8)).yaml"
        try Self.manifest(targetAddress: target.address).write(toFile: seed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: seed) }
        sim = try await SimServeProcess(extraArguments: ["--seed", seed] + simArguments)
        let kubeconfig = sim.kubeconfig
        daemon = try await KlientdProcess(keepDirectory: false) { directory in
            try? FileManager.default.removeItem(atPath: directory + "/kubeconfig")
            try FileManager.default.copyItem(atPath: kubeconfig, toPath: directory + "/kubeconfig")
        }
    }

    /// Runs klientctl against the daemon: exit status and merged output.
    func ctl(_ arguments: [String], socket: String? = nil) async throws -> (status: Int32, output: String) {
        try await Self.ctl(arguments, socket: socket ?? daemon.socketPath)
    }

    static func ctl(_ arguments: [String], socket: String) async throws -> (status: Int32, output: String) {
        let process = try TestProcess(klientctl, ["--socket", socket] + arguments)
        let status = try await process.finish(timeout: .seconds(120))
        return (status, process.transcript)
    }

    /// `forward add -o json ARGS`, expecting success; the ForwardInfo.
    func add(_ arguments: [String]) async throws -> JSONValue {
        let result = try await ctl(["forward", "add", "-o", "json"] + arguments)
        guard result.status == 0 else {
            throw SimTestFailure(description: "forward add \(arguments) exited \(result.status): \(result.output)")
        }
        return try JSONValue.parse(Array(result.output.utf8))
    }

    /// The forward's JSON from `forward list -o json`.
    func info(_ ref: String, socket: String? = nil) async throws -> JSONValue? {
        let result = try await ctl(["forward", "list", "-o", "json"], socket: socket)
        guard result.status == 0 else { throw SimTestFailure(description: "forward list: \(result.output)") }
        let forwards = try JSONValue.parse(Array(result.output.utf8))["forwards"]?.arrayValue ?? []
        return forwards.first { $0["id"]?.stringValue == ref || $0["name"]?.stringValue == ref }
    }

    /// `forward wait REF`, expecting success.
    func waitReady(_ ref: String, timeout: String = "60s") async throws {
        let result = try await ctl(["forward", "wait", ref, "--timeout", timeout])
        guard result.status == 0 else { throw SimTestFailure(description: "forward wait \(ref): \(result.output)") }
    }

    /// The first listener's local port of a ForwardInfo.
    static func localPort(_ info: JSONValue) -> UInt16? {
        info["listeners"]?.arrayValue?.first?["port"]?.intValue.flatMap { UInt16(exactly: $0) }
    }

    /// Sends `count` pattern bytes (seeded by `seed`) through a connection to
    /// `port`, half-closes, and checks the echo byte for byte; returns the
    /// bytes verified (fewer when the echo ended early).
    static let baseBlock = TestBytes.pattern(count: 1 << 20, seed: 0x5EED)

    static func echo(port: UInt16, count: Int, seed: UInt64, block: Int = 1 << 20) async throws -> Int {
        precondition(block <= baseBlock.count)
        let socket = try await Socket.connect(to: .ipv4("127.0.0.1", port: port))
        defer { socket.close() }
        let blocks = (count + block - 1) / block
        // One generated block, stamped with the seed and block number: cheap
        // enough for hundreds of MiB in a debug build, and a block from
        // another connection or out of order still fails the comparison.
        func chunk(_ i: Int) -> [UInt8] {
            var bytes = Array(Self.baseBlock.prefix(min(block, count - i * block)))
            withUnsafeBytes(of: (seed.littleEndian, UInt64(i).littleEndian)) { stamp in
                for k in 0..<min(stamp.count, bytes.count) { bytes[k] = stamp[k] }
            }
            return bytes
        }
        let writer = Task {
            for i in 0..<blocks { try await socket.write(chunk(i)) }
            try await socket.shutdownWrite()
        }
        var verified = 0
        var expected = chunk(0)
        var offset = 0
        var index = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        // Stops at `count` rather than at end of stream: channel mode cannot
        // pass the half-close on, so the echo server never sees one there.
        while verified < count {
            let n = try await socket.read(into: buffer)
            if n == 0 { break }
            var consumed = 0
            while consumed < n {
                guard index < blocks else { throw SimTestFailure(description: "more bytes echoed than sent") }
                let take = min(n - consumed, expected.count - offset)
                let same = expected.withUnsafeBytes { memcmp($0.baseAddress! + offset, buffer.baseAddress! + consumed, take) == 0 }
                guard same else {
                    throw SimTestFailure(description: "echo differs in block \(index) near offset \(offset) (\(verified) bytes verified)")
                }
                consumed += take
                offset += take
                verified += take
                if offset == expected.count {
                    index += 1
                    offset = 0
                    if index < blocks { expected = chunk(index) }
                }
            }
        }
        try await writer.value
        return verified
    }
}
