import KlientCtlKit
import KlientRPC
import KlientWire
import Testing

/// `klientctl exec` / `attach` command lines → `exec.start` params, and usage errors.
@Suite struct ExecCommandTests {
    static func arguments(_ argv: [String]) throws -> Arguments {
        try Arguments.parse(argv, root: CommandTable.root)
    }

    @Test func execParamsFromTheCommandLine() throws {
        let params = try ExecCommand.params(Self.arguments([
            "exec", "-it", "--context", "prod", "-n", "shop", "-c", "app", "deployment/cart", "--", "sh", "-c", "ls -l",
        ]), attach: false)
        #expect(params == ExecStartParams(context: "prod", namespace: "shop", target: "deploy/cart", container: "app",
                                          command: ["sh", "-c", "ls -l"], stdin: true, tty: true))
        let plain = try ExecCommand.params(Self.arguments(["exec", "web-0", "--", "true"]), attach: false)
        #expect(plain.json == ["target": "pod/web-0", "command": ["true"], "stdin": false, "tty": false, "attach": false])
        // Flags after the target and before -- are klientctl's; after -- they are the command's.
        let late = try ExecCommand.params(Self.arguments(["exec", "web-0", "-i", "--", "ls", "-t", "-c", "x"]), attach: false)
        #expect(late.stdin && !late.tty && late.container == nil)
        #expect(late.command == ["ls", "-t", "-c", "x"])
    }

    @Test func attachParams() throws {
        let params = try ExecCommand.params(Self.arguments(["attach", "-i", "svc/worker"]), attach: true)
        #expect(params == ExecStartParams(target: "svc/worker", command: [], stdin: true, attach: true))
    }

    @Test(arguments: [
        (["exec", "web-0"], "\"klientctl exec\" needs -- COMMAND"),
        (["exec", "job/x", "--", "true"], "unknown target kind \"job\" in \"job/x\"; use NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME"),
        (["exec", "-c", "", "web-0", "--", "true"], "flag --container needs a non-empty name"),
        (["exec", "web-0", "--", ""], "\"klientctl exec\" needs a command after TARGET, e.g. klientctl exec web-0 -- sh"),
        (["attach", "web-0", "ls"], "unexpected argument \"ls\": \"klientctl attach\" takes at most 1 argument"),
    ])
    func usageErrors(argv: [String], message: String) async throws {
        let console = CapturingConsole()
        let status = await KlientCtl.main(argv + ["--socket", "/tmp/kctl-none.sock"], environment: [:], console: console)
        #expect(status == ExitCode.usage.rawValue)
        #expect(console.stderr.hasPrefix("klientctl: \(message)\n"), "\(console.stderr)")
    }
}
