import KlientRPC

/// `klientctl attach [flags] TARGET` (`exec.start` with `attach`, `exec.wait`).
public enum AttachCommand {
    public static let spec = CommandSpec(
        "attach",
        summary: "Attach to a container's running process",
        details: """
            Connects to the main process of a container of TARGET's pod (its stdout and stderr;
            its stdin with -i, when the container was created with stdin: true; a terminal with -t,
            when it has tty: true) through klientd, like "klientctl exec" without a command.

            TARGET is NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME. klientctl
            exits 0 when the process's output ends (an attach carries no exit status: the pod's
            status has it); 1, 3 or 4 when the attach fails (RBAC needs create on pods/attach). The
            session is listed by "klientctl session list"; "session stop" or Ctrl-C (without -t)
            detaches and leaves the process running.
            """,
        flags: ExecCommand.sharedFlags,
        arguments: [ArgumentSpec("TARGET", help: "the pod: \(ExecCommand.targetHelp)")],
        examples: [
            "klientctl attach worker-0",
            "klientctl attach -it -c shell deploy/debug",
        ],
        action: run)

    static func run(_ context: CommandContext) async throws -> ExitCode {
        try await RemoteCommandRunner.run(context, params: try ExecCommand.params(context.arguments, attach: true))
    }
}
