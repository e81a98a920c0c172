import KlientRPC

/// `klientctl forward rm ID|NAME` and `forward rm --all` (`forward.remove`).
public enum ForwardRemoveCommand {
    public static let spec = CommandSpec(
        "rm",
        summary: "Remove a port forward (or all of them)",
        details: """
            Stops the forward with this ID or name (see "klientctl forward list"), closes its listeners
            and connections, and deletes it from klientd's saved state. --all removes every forward.
            An unknown ID or name is an error (status 1).
            """,
        flags: [FlagSpec("all", help: "remove every forward")],
        arguments: [ArgumentSpec("ID|NAME", required: false, help: "the forward's ID or name")],
        examples: ["klientctl forward rm f-1", "klientctl forward rm web", "klientctl forward rm --all"],
        action: run)

    static let path = ["forward", "rm"]

    /// The `forward.remove` params for a command line.
    /// - Throws: ``UsageError`` when neither or both of ID|NAME and --all are given.
    public static func params(_ arguments: Arguments) throws(UsageError) -> ForwardRemoveParams {
        let ref = arguments.positionals.first
        switch (ref, arguments.has("all")) {
        case (nil, false):
            throw UsageError("\"klientctl forward rm\" needs ID|NAME or --all", commandPath: path)
        case (_?, true):
            throw UsageError("give either ID|NAME or --all, not both", commandPath: path)
        case (let ref?, false):
            return ForwardRemoveParams(ref: ref)
        case (nil, true):
            return ForwardRemoveParams(all: true)
        }
    }

    static func run(_ context: CommandContext) async throws -> ExitCode {
        let params = try params(context.arguments)
        let daemon = try await context.connect()
        defer { daemon.close() }
        let (result, raw) = try await daemon.call(RPCMethod.forwardRemove, params: params.json, as: ForwardRemoveResult.self)
        if context.output == .json {
            try await context.print(JSONPrinter.pretty(raw))
        } else {
            try await context.print(render(result, ref: params.ref))
        }
        return .success
    }

    /// `Removed forward f-1.`, `Removed forward web (f-1).`, `Removed 2 forwards: f-1, f-2.`, `No forwards to remove.`
    public static func render(_ result: ForwardRemoveResult, ref: String?) -> String {
        switch result.removed.count {
        case 0:
            return "No forwards to remove.\n"
        case 1 where ref == nil || ref == result.removed[0]:
            return TableFormatter.printable("Removed forward \(result.removed[0]).") + "\n"
        case 1:
            return TableFormatter.printable("Removed forward \(ref!) (\(result.removed[0])).") + "\n"
        default:
            return TableFormatter.printable("Removed \(result.removed.count) forwards: \(result.removed.joined(separator: ", ")).") + "\n"
        }
    }
}
