import KlientCtlKit
import KlientRPC
import KlientWire
import Synchronization
import Testing

/// Commands run in-process against ``FakeDaemon``.
@Suite struct CommandTests {
    static let now: Int64 = 1_795_360_063 // 2026-11-22T15:07:43Z

    func run(_ argv: [String], daemon: FakeDaemon?, console: CapturingConsole = CapturingConsole(),
             timeout: Duration = .seconds(30)) async -> (Int32, CapturingConsole) {
        let socket = daemon?.path ?? "/tmp/kctl-missing-\(UInt32.random(in: 0...UInt32.max)).sock"
        let status = await KlientCtl.main(argv + ["--socket", socket], environment: [:], console: console,
                                          requestTimeout: timeout, now: { Self.now })
        return (status, console)
    }

    @Test func statusSaysHelloFirstAndSummarises() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["status"], daemon: daemon)
        #expect(status == 0, "\(console.stderr)")
        #expect(console.stdout.hasPrefix("klientd 0.1.0 is running: pid 4242, protocol 1, up 2h\n"))
        #expect(console.stdout.contains("Context:     kind-dev (1 context)\n"))
        #expect(console.stderr == "")
        let requests = daemon.requests
        #expect(requests.map(\.method) == [RPCMethod.hello, RPCMethod.status])
        #expect(requests.first?.params?["protocolVersion"] == .int(Int64(RPCProtocol.version)))
        #expect(requests.first?.params?["client"]?.stringValue == "klientctl \(RPCProtocol.softwareVersion)")
    }

    @Test func statusAsJSONIsTheRawResult() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["status", "-o", "json"], daemon: daemon)
        #expect(status == 0)
        #expect(try JSONValue.parse(console.stdout) == FakeDaemon.status.json)
        #expect(console.stdout == JSONPrinter.pretty(FakeDaemon.status.json))
    }

    @Test func sessionListTableWideAndJSON() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["session", "list"], daemon: daemon)
        #expect(status == 0)
        #expect(console.stdout == """
            ID    KIND      CONTEXT    NAMESPACE   TARGET                   STATE   AGE        IN     OUT
            s-1   forward   kind-dev   shop        svc/postgres 5432:5432   ready   5m    2.0 KiB   100 B

            """)
        let (_, wide) = await run(["-o", "wide", "session", "list"], daemon: daemon)
        #expect(wide.stdout.hasPrefix("ID    KIND      CONTEXT    NAMESPACE   TARGET                   STATE   AGE        IN     OUT   CLIENT-PID   REASON\n"))
        let (_, json) = await run(["session", "list", "-o", "json"], daemon: daemon)
        #expect(try JSONValue.parse(json.stdout) == ["sessions": [FakeDaemon.session.json]])
        let (_, empty) = await run(["session", "list", "--kind", "exec"], daemon: daemon)
        #expect(empty.stdout == "No sessions.\n")
        #expect(daemon.requests.last?.params == ["kind": "exec"])
    }

    @Test func sessionStop() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["session", "stop", "s-1"], daemon: daemon)
        #expect(status == 0)
        #expect(console.stdout == "Session s-1 stopped.\n")
        let (missing, failure) = await run(["session", "stop", "missing"], daemon: daemon)
        #expect(missing == 1)
        #expect(failure.stdout == "")
        #expect(failure.stderr == "klientctl: no session \"missing\" (NotFound)\n")
    }

    @Test func configReload() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["config", "reload"], daemon: daemon)
        #expect(status == 0)
        #expect(console.stdout == "Reloaded /k: 2 contexts, current context a.\n")
    }

    @Test func versionWithAndWithoutDaemon() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["version"], daemon: daemon)
        #expect(status == 0)
        #expect(console.stdout == "klientctl 0.1.0 (protocol 1)\nklientd   0.1.0 (protocol 1, pid 4242)\n")
        let (absent, alone) = await run(["version"], daemon: nil)
        #expect(absent == 3)
        #expect(alone.stdout == "klientctl 0.1.0 (protocol 1)\n")
        #expect(alone.stderr.hasPrefix("klientctl: klientd is not running (no socket at /tmp/kctl-missing-"))
        let (_, json) = await run(["version", "-o", "json"], daemon: daemon)
        #expect(try JSONValue.parse(json.stdout)["daemon"]?["pid"] == .int(4242))
    }

    @Test func protocolMismatchStopsEveryCommand() async throws {
        let newer = HelloResult(protocolVersion: RPCProtocol.version + 1, daemonVersion: "9.0.0", pid: 1)
        let daemon = try FakeDaemon.canned([RPCMethod.hello: .success(newer.json)])
        let (status, console) = await run(["session", "list"], daemon: daemon)
        #expect(status == 1)
        #expect(console.stderr.hasPrefix("klientctl: klientd speaks protocol version \(RPCProtocol.version + 1) but klientctl speaks \(RPCProtocol.version)"))
        #expect(daemon.requests.map(\.method) == [RPCMethod.hello])
        let refusal = RPCError.application(.unsupportedVersion, "protocol version 1 is not supported", details: ["supported": [2, 3]])
        let refusing = try FakeDaemon.canned([RPCMethod.hello: .failure(refusal)])
        let (refused, message) = await run(["status"], daemon: refusing)
        #expect(refused == 1)
        #expect(message.stderr.hasPrefix("klientctl: klientd speaks protocol version 3 but klientctl speaks 1 (protocol version 1 is not supported); "))
    }

    @Test func forbiddenIsExitStatusFour() async throws {
        let daemon = try FakeDaemon.canned([RPCMethod.sessionStop: .failure(.application(.forbidden, "not your session"))])
        let (status, console) = await run(["session", "stop", "s-1"], daemon: daemon)
        #expect(status == 4)
        #expect(console.stderr == "klientctl: not your session (Forbidden)\n")
    }

    @Test func silentDaemonTimesOut() async throws {
        let daemon = try FakeDaemon { request, _ in
            request.method == RPCMethod.hello ? .success(FakeDaemon.hello.json) : nil
        }
        let (status, console) = await run(["status"], daemon: daemon, timeout: .seconds(3))
        #expect(status == 1)
        // daemon.status never gets an answer; on a loaded machine even the hello may miss the limit first.
        #expect(console.stderr.contains("did not answer daemon.status") || console.stderr.contains("did not answer daemon.hello"))
    }

    @Test func eventsPrintUntilTheDaemonGoes() async throws {
        let event = DaemonEvent(type: DaemonEvent.sessionStarted, time: "2026-11-22T15:07:43Z", session: FakeDaemon.session)
        let stopping = DaemonEvent(type: DaemonEvent.daemonStopping, time: "2026-11-22T15:07:44Z", message: "SIGTERM")
        let daemon = try FakeDaemon.canned(onSubscribe: { peer in
            try? await peer.notify(RPCMethod.event, event.json)
            try? await peer.notify(RPCMethod.event, stopping.json)
            peer.close()
        })
        let (status, console) = await run(["events", "--kind", "session.started", "--kind", "daemon.stopping"], daemon: daemon)
        #expect(status == 3)
        #expect(console.stdout == """
            2026-11-22T15:07:43Z session.started forward s-1 svc/postgres 5432:5432 [ready]
            2026-11-22T15:07:44Z daemon.stopping: SIGTERM

            """)
        #expect(console.stderr == "klientctl: klientd stopped; no more events\n")
        #expect(daemon.requests.last?.params == ["kinds": ["session.started", "daemon.stopping"]])
        let (_, json) = await run(["events", "-o", "json"], daemon: daemon)
        #expect(json.stdout == JSONPrinter.line(event.json) + JSONPrinter.line(stopping.json))
    }

    @Test func closedStdoutIsQuiet() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["session", "list"], daemon: daemon, console: CapturingConsole(stdoutClosed: true))
        #expect(status == 0)
        #expect(console.stderr == "")
    }

    @Test func helpAndUsageNeedNoDaemon() async {
        let (help, console) = await run(["help", "session", "list"], daemon: nil)
        #expect(help == 0)
        #expect(console.stdout.hasPrefix("Usage: klientctl session list [flags]\n"))
        #expect(console.stdout.contains("--kind KIND"))
        #expect(console.stdout.contains("Exit status:"))
        let (unknown, message) = await run(["help", "bogus"], daemon: nil)
        #expect(unknown == 2)
        #expect(message.stderr.hasPrefix("klientctl: unknown command \"bogus\"\nUsage: klientctl "))
        let (completion, script) = await run(["completion", "fish"], daemon: nil)
        #expect(completion == 0)
        #expect(script.stdout.contains("complete -c klientctl"))
    }
}

/// A klientd that is stopping did nothing and its successor (socket
/// activation) is one connection away: klientctl retries instead of failing.
@Suite struct ShuttingDownRetryTests {
    @Test func aCallAnsweredShuttingDownIsRetriedOnANewConnection() async throws {
        // The first status and the second hello are refused.
        let calls = Mutex((hello: 0, status: 0))
        let daemon = try FakeDaemon(handler: { request, _ in
            let refused: Bool = calls.withLock { counts in
                if request.method == RPCMethod.hello {
                    counts.hello += 1
                    return counts.hello == 2
                }
                counts.status += 1
                return counts.status == 1
            }
            if refused { return .failure(.application(.shuttingDown, "klientd is stopping")) }
            return request.method == RPCMethod.hello ? .success(FakeDaemon.hello.json) : .success(FakeDaemon.status.json)
        })
        let (status, console) = await CommandTests().run(["status"], daemon: daemon)
        #expect(status == 0, "\(console.stderr)")
        #expect(console.stdout.hasPrefix("klientd 0.1.0 is running"))
        // hello, status (refused), hello (refused), hello, status
        #expect(daemon.requests.map(\.method) == [RPCMethod.hello, RPCMethod.status, RPCMethod.hello,
                                                  RPCMethod.hello, RPCMethod.status])
    }

    @Test func aDaemonThatKeepsStoppingIsReportedAfterTheTimeLimit() async throws {
        let daemon = try FakeDaemon(handler: { request, _ in
            .failure(.application(.shuttingDown, "klientd is stopping"))
        })
        let (status, console) = await CommandTests().run(["status"], daemon: daemon, timeout: .seconds(10))
        #expect(status == 3, "\(console.stderr)")
        #expect(console.stderr.contains("ShuttingDown") || console.stderr.contains("stopping"), "\(console.stderr)")
    }
}
