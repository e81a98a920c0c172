import Foundation
import KlientRPC
import KlientTestSupport
import KlientWire
import Testing

/// Black-box tests of the built `klientctl` (`swift build` puts it in .build/debug).
@Suite struct BinaryTests {
    static let binary = TestPython.repositoryRoot + "/.build/debug/klientctl"

    func klientctl(_ arguments: [String], environment: [String: String] = [:],
                   stdoutClosed: Bool = false) async throws -> ProgramRun {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary),
                     "\(Self.binary) is missing: run swift build --build-tests first")
        return try await ProgramRun.run(Self.binary, arguments, environment: environment, stdoutClosed: stdoutClosed)
    }

    static var missingSocket: String { "/tmp/kctl-missing-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock" }

    @Test func helpExitsZero() async throws {
        let run = try await klientctl(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Usage: klientctl [--socket PATH] [-o table|json|wide] COMMAND [ARGS...]"))
        #expect(run.stdout.contains("session list"))
        #expect(run.stdout.contains("Exit status:"))
        #expect(run.stderr == "")
        let sub = try await klientctl(["session", "stop", "--help"])
        #expect(sub.status == 0)
        #expect(sub.stdout.hasPrefix("Usage: klientctl session stop [flags] ID\n"))
    }

    @Test func badFlagIsUsageErrorOnStderr() async throws {
        let run = try await klientctl(["status", "--bogus"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            klientctl: unknown flag "--bogus" for "klientctl status"
            Usage: klientctl status [flags]
            Run "klientctl status --help" for more.

            """)
        let none = try await klientctl([])
        #expect(none.status == 2)
        #expect(none.stderr.hasPrefix("klientctl: missing command"))
    }

    @Test func statusWithoutDaemonIsExitThree() async throws {
        let socket = Self.missingSocket
        let run = try await klientctl(["status", "--socket", socket])
        #expect(run.status == 3)
        #expect(run.stdout == "")
        #expect(run.stderr == "klientctl: klientd is not running (no socket at \(socket)): systemctl --user start klientd.socket, or run klientd\n")
    }

    @Test func socketFromEnvironment() async throws {
        let socket = Self.missingSocket
        let run = try await klientctl(["status"], environment: ["KLIENT_SOCKET": socket])
        #expect(run.status == 3)
        #expect(run.stderr.contains("no socket at \(socket)"))
    }

    @Test func versionWithoutDaemon() async throws {
        let run = try await klientctl(["version", "--socket=\(Self.missingSocket)"])
        #expect(run.status == 3)
        #expect(run.stdout == "klientctl \(RPCProtocol.softwareVersion) (protocol \(RPCProtocol.version))\n")
        #expect(run.stderr.contains("klientd is not running"))
    }

    @Test func closedStdoutExitsQuietly() async throws {
        let run = try await klientctl(["completion", "bash"], stdoutClosed: true)
        #expect(run.exited, "killed by a signal instead of handling EPIPE")
        #expect(run.status == 0)
        #expect(run.stderr == "")
    }

    @Test func againstFakeDaemon() async throws {
        let daemon = try FakeDaemon.canned()
        let status = try await klientctl(["status", "--socket", daemon.path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.hasPrefix("klientd 0.1.0 is running: pid 4242"))

        let table = try await klientctl(["--socket", daemon.path, "session", "list"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == "ID    KIND      CONTEXT    NAMESPACE   TARGET                   STATE   AGE        IN     OUT")
        #expect(lines.last?.hasPrefix("s-1   forward   kind-dev   shop        svc/postgres 5432:5432   ready   ") == true)

        let json = try await klientctl(["session", "list", "-o", "json", "--socket", daemon.path])
        #expect(json.status == 0)
        #expect(try JSONValue.parse(json.stdout) == ["sessions": [FakeDaemon.session.json]])
        #expect(json.stdout.hasSuffix("}\n"))

        let stop = try await klientctl(["session", "stop", "missing", "--socket", daemon.path])
        #expect(stop.status == 1)
        #expect(stop.stdout == "")
        #expect(stop.stderr == "klientctl: no session \"missing\" (NotFound)\n")
    }

    @Test func forwardCommandsAgainstFakeDaemon() async throws {
        let daemon = try FakeDaemon.canned()
        let add = try await klientctl(["forward", "add", "--socket", daemon.path, "--name", "web", "svc/web", ":80"])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == """
            Forwarding svc/web (namespace default, context klient-sim) as f-3 "web"
              127.0.0.1:40123 -> 80
              [::1]:40123 -> 80

            """)
        #expect(add.stderr == "")
        let json = try await klientctl(["forward", "add", "-o", "json", "--socket", daemon.path, "--address", "0.0.0.0", "pod/web-0", "8080:http"])
        #expect(json.status == 0)
        #expect(try JSONValue.parse(json.stdout)["listeners"] == [["address": "0.0.0.0", "port": 8080, "remotePort": "http"]])

        let list = try await klientctl(["--socket", daemon.path, "forward", "list"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first == "ID    NAME   TARGET    LISTEN                      POD                STATE     CONNS        IN        OUT   RECONNECTS")
        #expect(lines.count == 3)
        let listJSON = try await klientctl(["--socket", daemon.path, "forward", "list", "-o", "json"])
        #expect(try JSONValue.parse(listJSON.stdout)["forwards"]?.arrayValue?.count == 2)

        let usage = try await klientctl(["forward", "add", "--socket", daemon.path, "svc/web", "80:0"])
        #expect(usage.status == 2)
        #expect(usage.stdout == "")
        #expect(usage.stderr.hasPrefix("klientctl: invalid port \"80:0\": remote port 0 is out of range: port numbers are 1-65535; use [LOCAL:]REMOTE"))

        let forbidden = try await klientctl(["forward", "add", "--socket", daemon.path, "--context", "readonly", "svc/web", "80"])
        #expect(forbidden.status == 4)
        #expect(forbidden.stderr.hasSuffix("(Forbidden)\n"))

        let rm = try await klientctl(["forward", "rm", "f-1", "--socket", daemon.path])
        #expect(rm.status == 0)
        #expect(rm.stdout == "Removed forward f-1.\n")
        let rmMissing = try await klientctl(["forward", "rm", "nope", "--socket", daemon.path])
        #expect(rmMissing.status == 1)
        #expect(rmMissing.stderr == "klientctl: no forward with id or name \"nope\" (NotFound)\n")
        let rmNothing = try await klientctl(["forward", "rm", "--socket", daemon.path])
        #expect(rmNothing.status == 2)

        let wait = try await klientctl(["forward", "wait", "web", "--timeout", "2s", "--socket", daemon.path])
        #expect(wait.status == 0, "\(wait.stderr)")
        #expect(wait.stdout.hasPrefix("Forward f-1 \"web\" is ready: pod web-7d9c5b-x2k4q, tunnel mode\n  127.0.0.1:40123 -> 80 (pod port 8080)\n"))
        let timeout = try await klientctl(["forward", "wait", "f-2", "--timeout", "500ms", "--socket", daemon.path])
        #expect(timeout.status == 1)
        #expect(timeout.stdout == "")
        #expect(timeout.stderr == "klientctl: forward f-2 is not ready after 500ms: state backoff (API server unreachable; retrying in 4s) (Timeout)\n")
        let badDuration = try await klientctl(["forward", "wait", "f-2", "--timeout", "30", "--socket", daemon.path])
        #expect(badDuration.status == 2)

        let noDaemon = try await klientctl(["forward", "list", "--socket", Self.missingSocket])
        #expect(noDaemon.status == 3)
    }
}
