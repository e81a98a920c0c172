/// klientctl's command tree. Parsing, help and shell completions all read
/// it, so adding a command (say `forward add`) is: write its spec and action
/// in `Commands/`, then list it here.
public enum CommandTable {
    /// Top-level commands, in help order.
    public static let commands: [CommandSpec] = [
        StatusCommand.spec,
        SessionCommand.spec,
        ForwardCommand.spec,
        ExecCommand.spec,
        AttachCommand.spec,
        EventsCommand.spec,
        ConfigCommand.spec,
        VersionCommand.spec,
        CompletionCommand.spec,
        HelpCommand.spec,
    ]

    /// The root: klientctl itself, a group of ``commands``.
    public static let root = CommandSpec(
        "klientctl",
        summary: "klientctl controls klientd, the klient daemon, through its control socket.",
        subcommands: commands)
}
