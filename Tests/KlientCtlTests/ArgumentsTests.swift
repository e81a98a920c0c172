import KlientCtlKit
import Testing

@Suite struct ArgumentsTests {
    let root = CommandTable.root

    @Test func globalFlagsBeforeAndAfterTheCommand() throws {
        let before = try Arguments.parse(["--socket", "/run/k.sock", "-o", "json", "session", "list"], root: root)
        let after = try Arguments.parse(["session", "list", "-o", "json", "--socket", "/run/k.sock"], root: root)
        let between = try Arguments.parse(["session", "--socket=/run/k.sock", "list", "-ojson"], root: root)
        for parsed in [before, after, between] {
            #expect(parsed.commandPath == ["session", "list"])
            #expect(parsed.socketPath == "/run/k.sock")
            #expect(parsed.output == .json)
            #expect(!parsed.helpRequested)
        }
    }

    @Test func outputFormatsAndDefaults() throws {
        #expect(try Arguments.parse(["status"], root: root).output == .table)
        #expect(try Arguments.parse(["status", "--output", "wide"], root: root).output == .wide)
        #expect(try Arguments.parse(["status", "--output=json"], root: root).output == .json)
        #expect(try Arguments.parse(["status", "-o=json"], root: root).output == .json)
        #expect(try Arguments.parse(["status"], root: root).socketPath == nil)
    }

    @Test func commandFlagsAndPositionals() throws {
        let list = try Arguments.parse(["session", "list", "--kind", "forward"], root: root)
        #expect(list.value("kind") == "forward")
        let stop = try Arguments.parse(["session", "stop", "s-1"], root: root)
        #expect(stop.positionals == ["s-1"])
        let events = try Arguments.parse(["events", "--kind", "session.started", "--kind=session.failed"], root: root)
        #expect(events.values("kind") == ["session.started", "session.failed"])
        let dashes = try Arguments.parse(["session", "stop", "--", "-odd-id"], root: root)
        #expect(dashes.positionals == ["-odd-id"])
        #expect(dashes.output == .table)
    }

    @Test func helpAnywhereWins() throws {
        #expect(try Arguments.parse(["--help"], root: root).helpRequested)
        let sub = try Arguments.parse(["session", "list", "-h"], root: root)
        #expect(sub.helpRequested && sub.commandPath == ["session", "list"])
        let bad = try Arguments.parse(["session", "list", "--bogus", "--help"], root: root)
        #expect(bad.helpRequested && bad.commandPath == ["session", "list"])
        let group = try Arguments.parse(["session", "--help"], root: root)
        #expect(group.helpRequested && group.commandPath == ["session"])
    }

    @Test(arguments: [
        (["--bogus", "status"], "unknown flag \"--bogus\" for \"klientctl\""),
        (["status", "--bogus"], "unknown flag \"--bogus\" for \"klientctl status\""),
        (["status", "-x"], "unknown flag \"-x\" for \"klientctl status\""),
        (["bogus"], "unknown command \"bogus\" for \"klientctl\""),
        (["session", "bogus"], "unknown subcommand \"bogus\" for \"klientctl session\""),
        (["session"], "\"klientctl session\" needs a subcommand: list, stop"),
        ([], "missing command: use one of status, session, forward, exec, attach, events, config, version, completion, help"),
        (["session", "stop"], "\"klientctl session stop\" needs ID"),
        (["session", "stop", "a", "b"], "unexpected argument \"b\": \"klientctl session stop\" takes at most 1 argument"),
        (["status", "extra"], "unexpected argument \"extra\": \"klientctl status\" takes no arguments"),
        (["status", "-o", "yaml"], "invalid value \"yaml\" for -o: use one of table, json, wide"),
        (["status", "--output"], "flag --output needs a value (FORMAT)"),
        (["status", "--help=yes"], "flag --help takes no value"),
        (["--socket=", "status"], "flag --socket needs a non-empty path"),
        (["session", "--kind", "x", "list"], "unknown flag \"--kind\" for \"klientctl session\""),
        (["completion", "tcsh"], "invalid SHELL \"tcsh\": use one of bash, zsh, fish"),
    ])
    func usageErrors(argv: [String], message: String) {
        #expect(throws: UsageError.self) { try Arguments.parse(argv, root: root) }
        do {
            _ = try Arguments.parse(argv, root: root)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func usageErrorsNameTheDeepestCommand() {
        do {
            _ = try Arguments.parse(["session", "list", "--bogus"], root: root)
            Issue.record("expected a usage error")
        } catch {
            #expect(error.commandPath == ["session", "list"])
        }
    }

    @Test func combinedShortFlags() throws {
        let flags = [FlagSpec("interactive", short: "i", help: "i"), FlagSpec("tty", short: "t", help: "t"),
                     FlagSpec("namespace", short: "n", value: "NS", help: "n")]
        let exec = CommandSpec("exec", summary: "exec", flags: flags,
                               arguments: [ArgumentSpec("ARGS", required: false, variadic: true, help: "a")],
                               action: { _ in .success })
        let tree = CommandSpec("klientctl", summary: "", subcommands: [exec])
        let parsed = try Arguments.parse(["exec", "-it", "-nshop", "deploy/api", "--", "sh", "-c", "echo"], root: tree)
        #expect(parsed.has("interactive") && parsed.has("tty"))
        #expect(parsed.value("namespace") == "shop")
        #expect(parsed.positionals == ["deploy/api", "sh", "-c", "echo"])
    }
}
