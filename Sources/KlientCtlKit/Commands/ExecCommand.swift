import KlientRPC

/// `klientctl exec [flags] TARGET -- COMMAND [ARG...]` (`exec.start`, `exec.wait`).
public enum ExecCommand {
    static let sharedFlags: [FlagSpec] = [
        FlagSpec("context", value: "CONTEXT", help: "kubeconfig context (default: the current context)"),
        FlagSpec("namespace", short: "n", value: "NS", help: "namespace (default: the context's, else default)"),
        FlagSpec("container", short: "c", value: "NAME",
                 help: "container (default: the kubectl.kubernetes.io/default-container annotation, else the first)"),
        FlagSpec("stdin", short: "i", help: "pass stdin to the container"),
        FlagSpec("tty", short: "t", help: "give the container a terminal (raw mode with -i; resizes follow)"),
    ]

    static let targetHelp = "NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME"

    public static let spec = CommandSpec(
        "exec",
        summary: "Run a command in a container",
        details: """
            Runs COMMAND in a container of TARGET's pod through klientd, which holds a warm,
            authenticated connection to the cluster: klientctl hands its stdin, stdout and stderr
            to klientd, and the bytes flow between them and the pod without passing through
            klientctl. Put -- before the command so its flags are not read as klientctl's.

            TARGET is NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME. A pod is
            used as is; for a service or workload the command runs in its first Ready pod.

            klientctl exits with the command's exit status. Before the command runs it exits with
            its own: 1 (e.g. the pod or container does not exist), 3 (klientd not reachable),
            4 (the cluster refused: RBAC needs create on pods/exec). -t without a terminal on stdin
            (with -i) or stdout is ignored with a warning. With -i -t the terminal is in raw mode
            until the command ends (restored on every exit, signals included); window size changes
            are passed on. Ctrl-C then goes to the command; without -t it stops klientctl and the
            session. The session is listed by "klientctl session list" and ended by "session stop".
            """,
        flags: sharedFlags,
        arguments: [
            ArgumentSpec("TARGET", help: "the pod: \(targetHelp)"),
            ArgumentSpec("-- COMMAND", variadic: true, help: "the command and its arguments (after --, so that their flags are not klientctl's)"),
        ],
        examples: [
            "klientctl exec web-0 -- ls -l /",
            "klientctl exec -it deploy/web -- sh",
            "klientctl exec -n shop -c app svc/cart -- env",
            "tar cf - dir | klientctl exec -i web-0 -- tar xf - -C /tmp",
            "klientctl exec web-0 -- sh -c 'exit 42'; echo $?    # 42",
        ],
        action: run)

    static let path = ["exec"]

    /// The `exec.start` params for a command line (`attach` for `klientctl attach`).
    /// - Throws: ``UsageError`` for a target that does not parse, a missing command.
    public static func params(_ arguments: Arguments, attach: Bool) throws(UsageError) -> ExecStartParams {
        let commandPath = attach ? ["attach"] : path
        guard let first = arguments.positionals.first else {
            throw UsageError("\"klientctl \(commandPath[0])\" needs TARGET", commandPath: commandPath)
        }
        let target: ForwardTarget
        do {
            target = try ForwardTarget(parsing: first)
        } catch {
            throw UsageError(error.message, commandPath: commandPath)
        }
        let command = Array(arguments.positionals.dropFirst())
        if attach {
            guard command.isEmpty else {
                throw UsageError("\"klientctl attach\" runs no command; use \"klientctl exec\" to run one", commandPath: commandPath)
            }
        } else {
            guard let program = command.first, !program.isEmpty else {
                throw UsageError("\"klientctl exec\" needs a command after TARGET, e.g. klientctl exec \(first) -- sh",
                                 commandPath: commandPath)
            }
        }
        if let container = arguments.value("container"), container.isEmpty {
            throw UsageError("flag --container needs a non-empty name", commandPath: commandPath)
        }
        return ExecStartParams(context: arguments.value("context"), namespace: arguments.value("namespace"),
                               target: target.description, container: arguments.value("container"), command: command,
                               stdin: arguments.has("stdin"), tty: arguments.has("tty"), attach: attach)
    }

    static func run(_ context: CommandContext) async throws -> ExitCode {
        try await RemoteCommandRunner.run(context, params: try params(context.arguments, attach: false))
    }
}
