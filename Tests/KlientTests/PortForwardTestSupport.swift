import Foundation
import Klient
import KlientIO
import KlientWire
import Synchronization

enum PFLib {
    static let namespace = "default"

    /// A generous open timeout: the whole suite shares 2 cores, and an
    /// exec-plugin context spawns a process per credential.
    static var patient: PortForwardOptions {
        var options = PortForwardOptions()
        options.openTimeout = .seconds(90)
        return options
    }

    /// Creates pod `name` whose ports map to `targets` (`klient-sim/port.P` annotations).
    static func createPod(_ client: KubernetesClient, _ name: String, _ targets: [UInt16: String],
                          namespace: String = namespace) async throws {
        var annotations: [String: JSONValue] = [:]
        for (port, address) in targets { annotations["klient-sim/port.\(port)"] = .string(address) }
        _ = try await client.dynamic(podsResource, namespace: namespace).create([
            "metadata": ["name": .string(name), "annotations": .object(annotations)],
            "spec": ["containers": [["name": "main", "image": "sh", "command": ["sleep", "600"]]]],
        ])
    }

    /// Deterministic bytes that differ at every offset of a 64-bit word.
    static func pattern(count: Int, seed: UInt64) -> [UInt8] {
        var x = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var i = 0
            while i + 8 <= count {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17
                withUnsafeBytes(of: x) { word in for k in 0..<8 { buffer[i + k] = word[k] } }
                i += 8
            }
            while i < count { buffer[i] = UInt8(truncatingIfNeeded: i); i += 1 }
            initialized = count
        }
    }

    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in
            a.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
    }

    /// Writes `bytes` in 128 KiB pieces.
    static func writeAll(_ stream: any ByteStream, _ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 128 * 1024, bytes.count)
            try await stream.write(Array(bytes[offset..<end]))
            offset = end
        }
    }

    /// Reads until `count` bytes arrived (or EOF).
    static func read(_ stream: any ByteStream, count: Int) async throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let bytes = try await stream.read(maxBytes: count - out.count)
            if bytes.isEmpty { break }
            out.append(contentsOf: bytes)
        }
        return out
    }

    /// Reads to EOF.
    static func readToEnd(_ stream: any ByteStream) async throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let bytes = try await stream.read(maxBytes: 256 * 1024)
            if bytes.isEmpty { return out }
            out.append(contentsOf: bytes)
        }
    }

    /// Sends `bytes` and reads as many back at the same time (an echo server on the other side).
    static func roundTrip(_ stream: any ByteStream, _ bytes: [UInt8]) async throws -> [UInt8] {
        async let writing: Void = writeAll(stream, bytes)
        let back = try await read(stream, count: bytes.count)
        try await writing
        return back
    }
}

extension PFLib {
    /// A wrapper script around `klient-sim credential` that counts its runs.
    static func countingPlugin(_ sim: SimHarness) throws -> (path: String, runs: @Sendable () -> Int) {
        let id = UUID().uuidString.prefix(8)
        let log = sim.directory + "/pf-plugin-runs-\(id)"
        let path = sim.directory + "/pf-plugin-\(id).sh"
        try "#!/bin/sh\necho run >> '\(log)'\nexec '\(SimHarness.simBinary)' \"$@\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return (path, { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count })
    }
}
