import KlientRPC
import KlientWire

/// `klientctl forward wait ID|NAME [--timeout D]` (`forward.wait`).
public enum ForwardWaitCommand {
    public static let spec = CommandSpec(
        "wait",
        summary: "Wait until a port forward is ready",
        details: """
            Returns once the forward's listeners are bound and a session to its pod is ready (status 0),
            printing where it listens. When it is not ready within the timeout (default 30s; e.g. 500ms,
            10s, 2m, 1m30s), prints its state and why, and exits with status 1.
            -o json prints the forward as klientd returned it.
            """,
        flags: [FlagSpec("timeout", value: "D", help: "how long to wait, e.g. 500ms, 30s, 2m (default 30s)")],
        arguments: [ArgumentSpec("ID|NAME", help: "the forward's ID or name")],
        examples: [
            "klientctl forward wait web",
            "klientctl forward add --name web svc/web 8080:80 && klientctl forward wait web --timeout 2m",
        ],
        action: run)

    static let path = ["forward", "wait"]

    /// The `forward.wait` params for a command line.
    /// - Throws: ``UsageError`` for a timeout that is not a duration of at most a day.
    public static func params(_ arguments: Arguments) throws(UsageError) -> ForwardWaitParams {
        var timeout: Double?
        if let text = arguments.value("timeout") {
            guard let seconds = DurationText.seconds(text) else {
                throw UsageError("invalid duration \"\(text)\" for --timeout: use a number with a unit, e.g. 500ms, 30s, 2m or 1m30s",
                                 commandPath: path)
            }
            guard seconds <= ForwardWaitParams.maxTimeout else {
                throw UsageError("--timeout \(text) is too long: at most 24h", commandPath: path)
            }
            timeout = seconds
        }
        return ForwardWaitParams(ref: arguments.positionals[0], timeout: timeout)
    }

    static func run(_ context: CommandContext) async throws -> ExitCode {
        let params = try params(context.arguments)
        let waited = params.timeout ?? ForwardWaitParams.defaultTimeout
        // The call lasts as long as the wait: give klientd that long, and some, to answer.
        let limit = max(context.requestTimeout, .milliseconds(Int64((waited * 1000).rounded())) + .seconds(10))
        let daemon = try await DaemonClient.connect(path: context.socketPath, timeout: limit)
        defer { daemon.close() }
        let forward: ForwardInfo
        let raw: JSONValue
        do {
            (forward, raw) = try await daemon.call(RPCMethod.forwardWait, params: params.json, as: ForwardInfo.self)
        } catch let error as RPCError where error.reason == .timeout {
            throw notReady(error)
        }
        if context.output == .json {
            try await context.print(JSONPrinter.pretty(raw))
        } else {
            try await context.print(render(forward))
        }
        return .success
    }

    /// klientd's `Timeout` error with the forward's state and reason (from
    /// `data.state` / `data.stateReason`) added when the message lacks them.
    public static func notReady(_ error: RPCError) -> RPCError {
        var error = error
        if let state = error.data?["state"]?.stringValue, !error.message.contains("state \(state)") {
            error.message += ": state \(state)"
        }
        if let reason = error.data?["stateReason"]?.stringValue, !error.message.contains(reason) {
            error.message += " (\(reason))"
        }
        return error
    }

    /// `Forward f-1 "web" is ready: pod web-7d9c (tunnel mode)`, then the listeners.
    public static func render(_ forward: ForwardInfo) -> String {
        var line = "Forward \(ForwardCommand.label(forward)) is ready"
        var details: [String] = []
        if let pod = forward.pod { details.append("pod \(pod)") }
        if let mode = forward.activeMode { details.append("\(mode) mode") }
        if !details.isEmpty { line += ": " + details.joined(separator: ", ") }
        return TableFormatter.printable(line) + "\n" + ForwardCommand.listenerLines(forward)
    }
}
