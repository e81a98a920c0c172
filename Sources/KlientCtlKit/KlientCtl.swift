import KlientIO
import KlientRPC

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// klientctl's entry point, kept out of `main.swift` so tests can run it in-process.
public enum KlientCtl {
    /// Runs one command line and returns the exit status (see ``ExitCode``).
    ///
    /// Usage errors print the message and the command's usage to stderr
    /// (status 2); `--help` prints help to stdout (status 0); other errors
    /// print `klientctl: MESSAGE` to stderr with the status from
    /// ``ErrorReport``. When stdout's reader has gone (EPIPE) it stops
    /// quietly with status 0.
    public static func main(_ argv: [String], environment: [String: String], console: any Console = StandardConsole(),
                            root: CommandSpec = CommandTable.root, requestTimeout: Duration = .seconds(30),
                            now: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }) async -> Int32 {
        ignoreSIGPIPE() // EPIPE instead of death, also for commands that never start the reactor
        let arguments: Arguments
        do {
            arguments = try Arguments.parse(argv, root: root)
        } catch {
            await console.error("klientctl: \(error.message)\n" + HelpFormatter.usageHint(error.commandPath, root: root))
            return ExitCode.usage.rawValue
        }
        do {
            guard !arguments.helpRequested,
                  let action = HelpFormatter.resolve(arguments.commandPath, in: root)?.action else {
                try await console.output(HelpFormatter.help(arguments.commandPath, root: root))
                return ExitCode.success.rawValue
            }
            let socketPath = ControlSocketPath.resolve(explicit: arguments.socketPath, environment: environment, uid: getuid())
            let context = CommandContext(arguments: arguments, console: console, environment: environment, root: root,
                                         socketPath: socketPath, requestTimeout: requestTimeout, now: now)
            return try await action(context).rawValue
        } catch is OutputClosed {
            return ExitCode.success.rawValue
        } catch let exit as CommandExit {
            return exit.status
        } catch {
            return await report(error, console: console, root: root)
        }
    }

    /// Prints `klientctl: MESSAGE` (plus usage for a usage error) and returns the status.
    public static func report(_ error: any Error, console: any Console, root: CommandSpec = CommandTable.root) async -> Int32 {
        let report = ErrorReport.make(for: error)
        var text = "klientctl: \(report.message)\n"
        if let usage = error as? UsageError {
            text += HelpFormatter.usageHint(usage.commandPath, root: root)
        }
        await console.error(text)
        return report.exitCode.rawValue
    }
}
