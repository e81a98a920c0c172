import KlientCtlKit
import KlientRPC
import KlientWire
import Testing

/// `klientctl forward …` run in-process against ``FakeDaemon``, and its pure parts.
@Suite struct ForwardCommandTests {
    func run(_ argv: [String], daemon: FakeDaemon?) async -> (Int32, CapturingConsole) {
        let console = CapturingConsole()
        let socket = daemon?.path ?? "/tmp/kctl-missing-\(UInt32.random(in: 0...UInt32.max)).sock"
        let status = await KlientCtl.main(argv + ["--socket", socket], environment: [:], console: console,
                                          now: { CommandTests.now })
        return (status, console)
    }

    static func arguments(_ argv: [String]) throws -> Arguments {
        try Arguments.parse(argv, root: CommandTable.root)
    }

    // MARK: Command lines → params

    @Test func addParamsFromTheCommandLine() throws {
        let params = try ForwardAddCommand.params(Self.arguments([
            "forward", "add", "--context", "prod", "-n", "shop", "--address", "0.0.0.0", "--address", "::",
            "--name", "db", "--no-persist", "--pool", "4", "--mode", "channel", "statefulset/db", "5432", ":http", "0:80", "9000:metrics",
        ]))
        #expect(params == ForwardAddParams(
            context: "prod", namespace: "shop", target: "sts/db",
            ports: [ForwardPortSpec(local: 5432, remote: .number(5432)), ForwardPortSpec(remote: .name("http")),
                    ForwardPortSpec(remote: .number(80)), ForwardPortSpec(local: 9000, remote: .name("metrics"))],
            addresses: ["0.0.0.0", "::"], name: "db", persist: false, pool: 4, mode: "channel"))
        let plain = try ForwardAddCommand.params(Self.arguments(["forward", "add", "web-0", "8080:80"]))
        #expect(plain == ForwardAddParams(target: "pod/web-0", ports: [ForwardPortSpec(local: 8080, remote: .number(80))]))
        #expect(plain.json == ["target": "pod/web-0", "ports": [["local": 8080, "remote": 80]], "persist": true, "mode": "auto"])
    }

    @Test(arguments: [
        (["svc/web"], "\"klientctl forward add\" needs [LOCAL:]REMOTE"),
        (["job/x", "80"], "unknown target kind \"job\" in \"job/x\"; use NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME"),
        (["svc/web", "80:0"], "invalid port \"80:0\": remote port 0 is out of range"),
        (["svc/web", "x:80"], "invalid port \"x:80\": the local port \"x\" is not a number"),
        (["svc/web", "HTTP"], "invalid port \"HTTP\": \"HTTP\" is neither a port number (1-65535) nor a valid port name: port names are lowercase"),
        (["--pool", "17", "svc/web", "80"], "invalid value \"17\" for --pool: use a number from 0 to 16"),
        (["--pool", "two", "svc/web", "80"], "invalid value \"two\" for --pool: use a number from 0 to 16"),
        (["--address", "", "svc/web", "80"], "flag --address needs a non-empty address"),
    ])
    func badAddLinesAreUsageErrors(extra: [String], message: String) async throws {
        let (status, console) = await run(["forward", "add"] + extra, daemon: nil)
        #expect(status == 2)
        #expect(console.stdout == "")
        #expect(console.stderr.hasPrefix("klientctl: " + message), "\(console.stderr)")
        #expect(console.stderr.contains("Usage: klientctl forward add [flags] TARGET [LOCAL:]REMOTE...\n"))
    }

    @Test func badModeIsRejectedByTheParser() async {
        let (status, console) = await run(["forward", "add", "--mode", "spdy", "svc/web", "80"], daemon: nil)
        #expect(status == 2)
        #expect(console.stderr.hasPrefix("klientctl: invalid value \"spdy\" for --mode: use one of auto, tunnel, channel\n"))
    }

    @Test func removeAndWaitParams() throws {
        #expect(try ForwardRemoveCommand.params(Self.arguments(["forward", "rm", "web"])) == ForwardRemoveParams(ref: "web"))
        #expect(try ForwardRemoveCommand.params(Self.arguments(["forward", "rm", "--all"])) == ForwardRemoveParams(all: true))
        #expect(throws: UsageError("\"klientctl forward rm\" needs ID|NAME or --all", commandPath: ["forward", "rm"])) {
            try ForwardRemoveCommand.params(Self.arguments(["forward", "rm"]))
        }
        #expect(throws: UsageError("give either ID|NAME or --all, not both", commandPath: ["forward", "rm"])) {
            try ForwardRemoveCommand.params(Self.arguments(["forward", "rm", "web", "--all"]))
        }
        #expect(try ForwardWaitCommand.params(Self.arguments(["forward", "wait", "web"])) == ForwardWaitParams(ref: "web"))
        #expect(try ForwardWaitCommand.params(Self.arguments(["forward", "wait", "web", "--timeout", "1m30s"]))
                == ForwardWaitParams(ref: "web", timeout: 90))
        #expect(try ForwardWaitCommand.params(Self.arguments(["forward", "wait", "--timeout=500ms", "web"]))
                == ForwardWaitParams(ref: "web", timeout: 0.5))
        #expect(throws: UsageError.self) { try ForwardWaitCommand.params(Self.arguments(["forward", "wait", "web", "--timeout", "soon"])) }
        #expect(throws: UsageError("--timeout 25h is too long: at most 24h", commandPath: ["forward", "wait"])) {
            try ForwardWaitCommand.params(Self.arguments(["forward", "wait", "web", "--timeout", "25h"]))
        }
    }

    @Test(arguments: [
        ("500ms", 0.5), ("30s", 30), ("2m", 120), ("1h", 3600), ("1m30s", 90), ("1.5s", 1.5), ("0", 0), ("0s", 0),
        ("250ms", 0.25), ("1h2m3s", 3723),
    ] as [(String, Double)])
    func durations(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test func badDurations() {
        for text in ["", "30", "s", "5x", "1.2.3s", "-5s", "5 s", "1m30", "ms", ".s", "1d"] {
            #expect(DurationText.seconds(text) == nil, "\(text)")
        }
        #expect(DurationText.format(0.5) == "500ms" && DurationText.format(30) == "30s" && DurationText.format(120) == "2m")
        #expect(DurationText.format(3600) == "1h" && DurationText.format(90) == "90s" && DurationText.format(1.5) == "1.5s")
    }

    // MARK: Rendering

    @Test func addedForwardAndItsListeners() {
        var info = FakeDaemon.forward
        info.listeners[1].podPort = nil
        #expect(ForwardAddCommand.render(info) == """
            Forwarding svc/web (namespace default, context klient-sim) as f-1 "web"
              127.0.0.1:40123 -> 80 (pod port 8080)
              [::1]:40123 -> 80

            """)
        #expect(ForwardAddCommand.render(FakeDaemon.slowForward) == """
            Forwarding sts/db (namespace shop, context prod) as f-2
              127.0.0.1:5432 -> postgres
              state backoff: API server unreachable; retrying in 4s

            """)
    }

    @Test func listTableWideAndEmpty() {
        let forwards = [FakeDaemon.forward, FakeDaemon.slowForward]
        #expect(ForwardListCommand.render(forwards, wide: false) == """
            ID    NAME   TARGET    LISTEN                      POD                STATE     CONNS        IN        OUT   RECONNECTS
            f-1   web    svc/web   127.0.0.1,[::1]:40123->80   web-7d9c5b-x2k4q   ready         2   1.8 MiB   20.0 KiB            1
            f-2   -      sts/db    127.0.0.1:5432->postgres    -                  backoff       0       0 B        0 B            3

            """)
        let wide = ForwardListCommand.render(forwards, wide: true).split(separator: "\n")
        #expect(wide.first?.hasSuffix("RECONNECTS   NAMESPACE   CONTEXT      MODE            LAST-ERROR") == true, "\(wide)")
        #expect(wide.dropFirst().first?.hasSuffix("1   default     klient-sim   auto (tunnel)   pod web-7d9c5b-m8n2c was deleted") == true, "\(wide)")
        #expect(wide.last?.hasSuffix("3   shop        prod         channel         dial tcp 10.0.0.7:443: connection refused") == true, "\(wide)")
        #expect(ForwardListCommand.render([], wide: false) == "No forwards.\n")
        #expect(ForwardListCommand.listen([]) == "-")
        #expect(ForwardListCommand.listen([
            ForwardListener(address: "0.0.0.0", port: 8080, remotePort: .number(80)),
            ForwardListener(address: "0.0.0.0", port: 9090, remotePort: .name("metrics")),
            ForwardListener(address: "::", port: 8080, remotePort: .number(80)),
        ]) == "0.0.0.0,[::]:8080->80 0.0.0.0:9090->metrics")
    }

    @Test func removeAndWaitMessages() {
        #expect(ForwardRemoveCommand.render(ForwardRemoveResult(removed: ["f-1"]), ref: "f-1") == "Removed forward f-1.\n")
        #expect(ForwardRemoveCommand.render(ForwardRemoveResult(removed: ["f-1"]), ref: "web") == "Removed forward web (f-1).\n")
        #expect(ForwardRemoveCommand.render(ForwardRemoveResult(removed: ["f-1", "f-2"]), ref: nil) == "Removed 2 forwards: f-1, f-2.\n")
        #expect(ForwardRemoveCommand.render(ForwardRemoveResult(removed: []), ref: nil) == "No forwards to remove.\n")
        #expect(ForwardWaitCommand.render(FakeDaemon.forward) == """
            Forward f-1 "web" is ready: pod web-7d9c5b-x2k4q, tunnel mode
              127.0.0.1:40123 -> 80 (pod port 8080)
              [::1]:40123 -> 80 (pod port 8080)

            """)
    }

    // MARK: Against the fake daemon

    @Test func addPrintsTheListeners() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, console) = await run(["forward", "add", "--name", "web", "svc/web", ":80", "-n", "default"], daemon: daemon)
        #expect(status == 0, "\(console.stderr)")
        #expect(console.stdout == """
            Forwarding svc/web (namespace default, context klient-sim) as f-3 "web"
              127.0.0.1:40123 -> 80
              [::1]:40123 -> 80

            """)
        #expect(daemon.requests.map(\.method) == [RPCMethod.hello, RPCMethod.forwardAdd])
        #expect(daemon.requests.last?.params == [
            "target": "svc/web", "namespace": "default", "name": "web", "ports": [["remote": 80]], "persist": true, "mode": "auto",
        ])
        let (_, json) = await run(["forward", "add", "-o", "json", "service/web", "8080:http"], daemon: daemon)
        let info = try ForwardInfo(json: JSONValue.parse(json.stdout))
        #expect(info.listeners.map(\.port) == [8080, 8080] && info.target == "svc/web" && info.listeners[0].remotePort == .name("http"))
    }

    @Test func addErrorsMapToExitStatuses() async throws {
        let daemon = try FakeDaemon.canned()
        let (forbidden, denied) = await run(["forward", "add", "--context", "readonly", "svc/web", "80"], daemon: daemon)
        #expect(forbidden == 4)
        #expect(denied.stderr.hasPrefix("klientctl: pods \"web-7d9c5b-x2k4q\" is forbidden: User \"viewer\" cannot create resource"))
        #expect(denied.stderr.hasSuffix(" (Forbidden)\n"))
        let (conflict, busy) = await run(["forward", "add", "svc/web", "40123:80"], daemon: daemon)
        #expect(conflict == 1)
        #expect(busy.stderr == "klientctl: local port 127.0.0.1:40123 is already in use (forward f-1 \"web\") (Conflict)\n")
        let (unreachable, _) = await run(["forward", "list"], daemon: nil)
        #expect(unreachable == 3)
    }

    @Test func listRemoveAndWait() async throws {
        let daemon = try FakeDaemon.canned()
        let (status, table) = await run(["forward", "list"], daemon: daemon)
        #expect(status == 0)
        #expect(table.stdout == ForwardListCommand.render([FakeDaemon.forward, FakeDaemon.slowForward], wide: false))
        let (_, json) = await run(["forward", "list", "-o", "json"], daemon: daemon)
        #expect(try JSONValue.parse(json.stdout) == ["forwards": [FakeDaemon.forward.json, FakeDaemon.slowForward.json]])

        let (removed, rm) = await run(["forward", "rm", "web"], daemon: daemon)
        #expect(removed == 0)
        #expect(rm.stdout == "Removed forward web (f-1).\n")
        #expect(daemon.requests.last?.params == ["ref": "web", "all": false])
        let (_, all) = await run(["forward", "rm", "--all"], daemon: daemon)
        #expect(all.stdout == "Removed 2 forwards: f-1, f-2.\n")
        let (missing, none) = await run(["forward", "rm", "nope"], daemon: daemon)
        #expect(missing == 1)
        #expect(none.stderr == "klientctl: no forward with id or name \"nope\" (NotFound)\n")

        let (ready, wait) = await run(["forward", "wait", "web", "--timeout", "5s"], daemon: daemon)
        #expect(ready == 0)
        #expect(wait.stdout.hasPrefix("Forward f-1 \"web\" is ready: pod web-7d9c5b-x2k4q, tunnel mode\n"))
        #expect(daemon.requests.last?.params == ["ref": "web", "timeout": 5])
        let (timedOut, slow) = await run(["forward", "wait", "f-2", "--timeout", "500ms"], daemon: daemon)
        #expect(timedOut == 1)
        #expect(slow.stdout == "")
        #expect(slow.stderr == "klientctl: forward f-2 is not ready after 500ms: state backoff (API server unreachable; retrying in 4s) (Timeout)\n")
        let (terse, reason) = await run(["forward", "wait", "terse"], daemon: daemon)
        #expect(terse == 1)
        #expect(reason.stderr == "klientctl: timed out: state connecting (no Ready pod) (Timeout)\n")
        #expect(daemon.requests.last?.params == ["ref": "terse"])
    }

    @Test func forwardCommandsInHelpAndCompletions() async {
        let (status, console) = await run(["--help"], daemon: nil)
        #expect(status == 0)
        for line in ["forward add TARGET [LOCAL:]REMOTE...", "forward list", "forward rm [ID|NAME]", "forward wait ID|NAME"] {
            #expect(console.stdout.contains(line), "\(line)")
        }
        for shell in Completions.Shell.allCases {
            let script = Completions.script(for: shell)
            for word in ["forward", "wait", "no-persist", "pool", "address", "mode", "tunnel", "channel", "timeout", "all"] {
                #expect(script.contains(word), "\(shell) lacks \(word)")
            }
        }
    }
}
