#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientRPC
import KlientTestSupport
import KlientWire
import Testing

/// `klientctl exec` / `attach` through klientd against klient-sim, all built
/// binaries: exit codes, separate output streams, stdin, a terminal driven
/// by the test, readable refusals, and sessions listed and stopped.
@Suite("klientctl exec through klientd", .serialized)
struct ExecIntegrationTests {
    @Test func exitCodeOfTheRemoteCommand() async throws {
        let bed = try await ExecTestbed()
        let result = try await bed.run(["exec", "shell", "--", "sh", "-c", "exit 42"])
        #expect(result.status == 42, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty, "a plain non-zero exit prints nothing: \(result.stderr)")
        let ok = try await bed.run(["exec", "pod/shell", "--", "true"])
        #expect(ok.status == 0)
        // Ended sessions leave the list.
        #expect(try await bed.sessions().isEmpty)
    }

    @Test func stdoutAndStderrStaySeparate() async throws {
        let bed = try await ExecTestbed()
        let result = try await bed.run(["exec", "shell", "--", "sh", "-c", "echo out; echo err >&2; echo more; exit 3"])
        #expect(result.status == 3)
        #expect(result.out == "out\nmore\n")
        #expect(result.stderr == "err\n")
    }

    @Test func stdinIsPipedThroughCatAndClosed() async throws {
        let bed = try await ExecTestbed()
        let input = TestBytes.pattern(count: 4 << 20, seed: 7)
        let result = try await bed.run(["exec", "-i", "shell", "--", "cat"], stdin: input)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.count == input.count)
        #expect(result.stdout == input, "cat returns every byte, and ends: stdin's end of file reached it (v5 CLOSE)")
        let counted = try await bed.run(["exec", "-i", "shell", "--", "wc", "-c"], stdin: Array(repeating: 0x61, count: 12345))
        #expect(counted.out.trimmingCharacters(in: .whitespacesAndNewlines) == "12345")
    }

    /// An API server without v5.channel.k8s.io: klientd falls back to v4,
    /// where stdin cannot be half-closed; a command that stops reading by
    /// itself still gets its input and ends.
    @Test func stdinOnAV4OnlyServer() async throws {
        let bed = try await ExecTestbed(simArguments: ["--no-exec-v5"])
        let result = try await bed.run(["exec", "-i", "shell", "--", "head", "-c", "5"], stdin: Array("hello world".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out == "hello")
        #expect(result.stderr.contains("cannot pass the end of stdin on"), "\(result.stderr)")
        let exit = try await bed.run(["exec", "shell", "--", "sh", "-c", "exit 42"])
        #expect(exit.status == 42)
    }

    @Test func attachReachesTheContainersProcess() async throws {
        let bed = try await ExecTestbed()
        // The pod may still be starting: an attach to it fails (status 1) without reading stdin.
        var result = try await bed.run(["attach", "-i", "echoer"], stdin: Array("hello\n".utf8))
        let deadline = ContinuousClock.now + .seconds(30)
        while result.status == 1, result.stdout.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            result = try await bed.run(["attach", "-i", "echoer"], stdin: Array("hello\n".utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out == "got hello\n")
        #expect(result.stderr == "done\n")
        #expect(try await bed.sessions(kind: "attach").isEmpty)
    }

    @Test func deploymentAndServiceTargetsRunInTheirPod() async throws {
        let bed = try await ExecTestbed()
        for target in ["deploy/web", "svc/web"] {
            // A container's working directory is STATE/pods/NS/POD.
            let result = try await bed.run(["exec", target, "--", "pwd"])
            #expect(result.status == 0, "\(target): \(result.stderr)")
            #expect(result.out.contains("/default/web-"), "\(target) ran in \(result.out)")
        }
    }

    @Test func refusalsAreReadable() async throws {
        let bed = try await ExecTestbed()
        let forbidden = try await bed.run(["exec", "--context", "klient-sim-readonly", "shell", "--", "true"])
        #expect(forbidden.status == 4)
        #expect(forbidden.stderr.contains("pods/exec"), "\(forbidden.stderr)")
        #expect(forbidden.stderr.contains("forbidden"), "\(forbidden.stderr)")
        #expect(forbidden.stderr.hasPrefix("klientctl: "))

        let missing = try await bed.run(["exec", "nope", "--", "true"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope"), "\(missing.stderr)")
        #expect(missing.stderr.contains("NotFound"), "\(missing.stderr)")

        let container = try await bed.run(["exec", "-c", "sidecar", "shell", "--", "true"])
        #expect(container.status == 1)
        #expect(container.stderr.contains("sidecar"), "\(container.stderr)")

        let noService = try await bed.run(["exec", "svc/nope", "--", "true"])
        #expect(noService.status == 1)
        #expect(noService.stderr.contains("not found"), "\(noService.stderr)")
        #expect(try await bed.sessions().isEmpty, "failed starts leave no session")
    }

    @Test func sessionListShowsARunningExecAndSessionStopEndsIt() async throws {
        let bed = try await ExecTestbed()
        let process = try bed.start(["exec", "shell", "--", "sleep", "300"])
        // "starting" while the stream opens, then "ready".
        let session = try await Self.waitForSession(bed) {
            $0["target"]?.stringValue == "pod/shell -- sleep 300" && $0["state"]?.stringValue == "ready"
        }
        #expect(session["kind"]?.stringValue == "exec")
        #expect(session["clientPID"]?.intValue == Int64(process.pid))
        let id = try #require(session["id"]?.stringValue)
        let stop = try await bed.run(["session", "stop", id])
        #expect(stop.status == 0, "\(stop.stderr)")
        let result = try await ExecTestbed.finish(process, timeout: .seconds(30))
        #expect(result.status == 1)
        #expect(result.stderr.contains("stopped by session.stop"), "\(result.stderr)")
        #expect(try await bed.sessions().isEmpty)
    }

    /// Output backs up into a pipe nobody reads: the session waits (backpressure)
    /// with bounded memory, and session stop still ends it at once.
    @Test func stopEndsASessionWhoseReaderIsStuck() async throws {
        let bed = try await ExecTestbed()
        let process = try bed.start(["exec", "shell", "--", "head", "-c", "1073741824", "/dev/zero"])
        let session = try await Self.waitForSession(bed) { ($0["bytesIn"]?.intValue ?? 0) > 0 }
        try await Task.sleep(for: .milliseconds(500))
        let stalled = try #require(try await bed.sessions().first)
        #expect((stalled["bytesIn"]?.intValue ?? 0) < 64 << 20, "klientd buffers little for a reader that does not read")
        let stop = try await bed.run(["session", "stop", try #require(session["id"]?.stringValue)])
        #expect(stop.status == 0)
        let result = try await ExecTestbed.finish(process, timeout: .seconds(30))
        #expect(result.status == 1)
        #expect(result.stderr.contains("stopped by session.stop"), "\(result.stderr)")
    }

    @Test func killingKlientctlEndsTheSession() async throws {
        let bed = try await ExecTestbed()
        let process = try bed.start(["exec", "shell", "--", "sleep", "300"])
        _ = try await Self.waitForSession(bed) { $0["target"]?.stringValue == "pod/shell -- sleep 300" }
        process.signal(SIGTERM)
        let result = try await ExecTestbed.finish(process, timeout: .seconds(30))
        #expect(result.status == 128 + SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !bed.sessions().isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await bed.sessions().isEmpty, "the session ends with its client's connection")
    }

    @Test func outputOfAnySizeReachesAPipe() async throws {
        let bed = try await ExecTestbed()
        let result = try await bed.run(["exec", "shell", "--", "head", "-c", "67108864", "/dev/zero"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.count == 64 << 20)
        #expect(result.stdout.allSatisfy { $0 == 0 })
    }

    /// The test is the terminal: klientctl runs in a pty, `stty size` in the
    /// pod sees the size, a resize of the pty reaches the pod, and the
    /// terminal is back in cooked mode after klientctl exits.
    @Test func ttySessionFollowsResizes() async throws {
        let bed = try await ExecTestbed()
        let terminal = try HostProcess.spawn(.init(
            arguments: [ForwardTestbed.klientctl, "--socket", bed.daemon.socketPath, "exec", "-it", "shell", "--", "sh"],
            environment: ExecTestbed.environment, terminalSize: .init(width: 80, height: 24)))
        var screen = PtyScreen(terminal)
        try await terminal.stdin.write(Array("stty size\n".utf8))
        try await screen.waitFor("24 80")
        try terminal.resize(width: 100, height: 40)
        // The resize travels klientctl (SIGWINCH) → exec.resize → the pod's pty.
        let deadline = ContinuousClock.now + .seconds(20)
        var seen = false
        while !seen, ContinuousClock.now < deadline {
            try await terminal.stdin.write(Array("stty size\n".utf8))
            seen = (try? await screen.waitFor("40 100", timeout: .seconds(2))) != nil
        }
        #expect(seen, "stty size never showed 40 100; screen: \(screen.text)")
        try await terminal.stdin.write(Array("exit 5\n".utf8))
        let status = await terminal.waitForExit(timeout: .seconds(30))
        #expect(status?.code == 5)
        var modes = termios()
        let restored = try terminal.stdout.withDescriptor { tcgetattr($0, &modes) == 0 }
        #expect(restored)
        #expect(modes.c_lflag & tcflag_t(ECHO) != 0 && modes.c_lflag & tcflag_t(ICANON) != 0,
                "klientctl put the terminal back in cooked mode")
    }

    /// A signal to klientctl in raw mode: it puts the terminal back, exits
    /// 128 + the signal, and the session ends.
    @Test func aSignalRestoresTheTerminal() async throws {
        let bed = try await ExecTestbed()
        let terminal = try HostProcess.spawn(.init(
            arguments: [ForwardTestbed.klientctl, "--socket", bed.daemon.socketPath, "exec", "-it", "shell", "--", "sh"],
            environment: ExecTestbed.environment, terminalSize: .init(width: 80, height: 24)))
        var screen = PtyScreen(terminal)
        try await terminal.stdin.write(Array("echo ready-$((6*7))\n".utf8))
        try await screen.waitFor("ready-42")
        var modes = termios()
        _ = try terminal.stdout.withDescriptor { tcgetattr($0, &modes) }
        #expect(modes.c_lflag & tcflag_t(ICANON) == 0, "raw while the session runs")
        Glibc.kill(terminal.pid, SIGTERM)
        let status = await terminal.waitForExit(timeout: .seconds(30))
        #expect(status?.code == 128 + SIGTERM)
        _ = try terminal.stdout.withDescriptor { tcgetattr($0, &modes) }
        #expect(modes.c_lflag & tcflag_t(ECHO) != 0 && modes.c_lflag & tcflag_t(ICANON) != 0, "cooked again")
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !bed.sessions().isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await bed.sessions().isEmpty)
    }

    /// klientd under socket activation (`systemd-socket-activate`): the first
    /// klientctl exec starts it, and the remote exit code comes back.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
    func worksWhenKlientdIsSocketActivated() async throws {
        let bed = try await ExecTestbed()
        let socket = bed.daemon.directory + "/run/activated.sock"
        let activator = try TestProcess("/usr/bin/systemd-socket-activate",
                                        ["-l", socket, KlientdProcess.binary, "--state-dir", bed.daemon.directory + "/state2",
                                         "--kubeconfig", bed.daemon.kubeconfigPath],
                                        environment: ["HOME": bed.daemon.directory + "/home"])
        defer { activator.terminate() }
        var waited = 0
        while !FileManager.default.fileExists(atPath: socket), waited < 200 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        let result = try await bed.run(["exec", "shell", "--", "sh", "-c", "echo activated; exit 7"], socket: socket)
        #expect(result.status == 7, "\(result.stderr)\n\(activator.transcript)")
        #expect(result.out == "activated\n")
        let status = try await bed.run(["-o", "json", "status"], socket: socket)
        #expect(status.out.contains("\"socketActivated\": true"), "\(status.out)")
    }

    // MARK: helpers

    static func waitForSession(_ bed: ExecTestbed, _ matches: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let found = try await bed.sessions().first(where: matches) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SimTestFailure(description: "no matching exec session appeared")
    }
}

/// What a pty master has shown so far.
struct PtyScreen {
    let terminal: HostProcess
    var bytes: [UInt8] = []

    init(_ terminal: HostProcess) { self.terminal = terminal }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Reads until `needle` appears after what was seen before (then forgets up to it).
    mutating func waitFor(_ needle: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let range = text.range(of: needle) {
                bytes = Array(text[range.upperBound...].utf8)
                return
            }
            let left = deadline - .now
            guard left > .zero else { throw SimTestFailure(description: "\"\(needle)\" did not appear; screen: \(text)") }
            let stream = terminal.stdout
            let chunk = try await withTimeout(left, "reading the terminal") { try await stream.read(maxBytes: 65536) }
            if chunk.isEmpty { throw SimTestFailure(description: "the terminal closed before \"\(needle)\"; screen: \(text)") }
            bytes += chunk
        }
    }
}
