#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientRPC
import KlientTestSupport
import KlientWire
import Testing

/// `exec.*` at the protocol level, against klientd alone (no cluster): the
/// descriptor rules of exec.start, and that refused descriptors are closed.
@Suite("klientd exec.* protocol")
struct ExecRPCTests {
    static let params = ExecStartParams(target: "web-0", command: ["true"]).json

    @Test func execStartNeedsExactlyThreeDescriptors() async throws {
        let daemon = try await KlientdProcess()
        let client = try await daemon.client()
        defer { client.close() }

        let none = await #expect(throws: RPCError.self) { try await client.call(RPCMethod.execStart, params: Self.params) }
        #expect(none?.reason == .invalid)
        #expect(none?.message.contains("stdin, stdout and stderr") == true)

        let devNull = open("/dev/null", O_RDWR)
        defer { close(devNull) }
        let one = await #expect(throws: RPCError.self) {
            try await client.call(RPCMethod.execStart, params: Self.params, descriptors: [devNull])
        }
        #expect(one?.reason == .invalid)
        #expect(one?.message.contains("exactly 3 descriptors") == true, "\(one?.message ?? "")")

        // Three descriptors, but a context klientd does not know: refused, and the
        // descriptors do not stay behind for a later exec.start.
        var unknown = ExecStartParams(target: "web-0", command: ["true"])
        unknown.context = "nowhere"
        let context = await #expect(throws: RPCError.self) {
            try await client.call(RPCMethod.execStart, params: unknown.json, descriptors: [devNull, devNull, devNull])
        }
        #expect(context?.reason == .invalid)
        let after = await #expect(throws: RPCError.self) { try await client.call(RPCMethod.execStart, params: Self.params) }
        #expect(after?.message.contains("stdin, stdout and stderr") == true)

        // Malformed params with descriptors: -32602, and the descriptors are dropped too.
        let malformed = await #expect(throws: RPCError.self) {
            try await client.call(RPCMethod.execStart, params: ["target": "web-0", "command": []], descriptors: [devNull, devNull, devNull])
        }
        #expect(malformed?.code == RPCError.invalidParamsCode)
        let again = await #expect(throws: RPCError.self) { try await client.call(RPCMethod.execStart, params: Self.params) }
        #expect(again?.message.contains("stdin, stdout and stderr") == true)
    }

    @Test func refusedDescriptorsAreClosed() async throws {
        let daemon = try await KlientdProcess()
        let client = try await daemon.client()
        defer { client.close() }
        let before = Self.openDescriptors(daemon.process.pid)
        let pipes = (0..<3).map { _ -> (Int32, Int32) in
            var fds: [Int32] = [0, 0]
            _ = pipe(&fds)
            return (fds[0], fds[1])
        }
        defer { for (r, w) in pipes { close(r); close(w) } }
        var unknown = ExecStartParams(target: "web-0", command: ["true"])
        unknown.context = "nowhere"
        for _ in 0..<20 {
            _ = try? await client.call(RPCMethod.execStart, params: unknown.json, descriptors: pipes.map(\.1))
        }
        #expect(Self.openDescriptors(daemon.process.pid) == before, "klientd closed every descriptor it refused")
        // So every pipe's write end is ours alone: closing it gives the reader end of file.
        for (r, w) in pipes {
            close(w)
            var byte: UInt8 = 0
            #expect(read(r, &byte, 1) == 0)
        }
    }

    @Test func resizeAndWaitOfUnknownSessions() async throws {
        let daemon = try await KlientdProcess()
        let client = try await daemon.client()
        defer { client.close() }
        let wait = await #expect(throws: RPCError.self) {
            try await client.call(RPCMethod.execWait, params: ExecWaitParams(id: "e-9").json)
        }
        #expect(wait?.reason == .notFound)
        let resize = await #expect(throws: RPCError.self) {
            try await client.call(RPCMethod.execResize, params: ExecResizeParams(id: "e-9", width: 80, height: 24).json)
        }
        #expect(resize?.reason == .notFound)
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }
}
