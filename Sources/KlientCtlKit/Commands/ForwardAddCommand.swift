import KlientRPC
import KlientWire

/// `klientctl forward add [flags] TARGET [LOCAL:]REMOTE...` (`forward.add`).
public enum ForwardAddCommand {
    public static let spec = CommandSpec(
        "add",
        summary: "Forward local ports to a pod, service or workload",
        details: """
            TARGET is NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME (also service/,
            deployment/, statefulset/, replicaset/). A service, deployment, statefulset or replicaset
            forwards to one of its Ready pods; klientd follows the target, so the forward keeps working
            when that pod is replaced.

            Each port is [LOCAL:]REMOTE:
              8080:80     local 8080 to remote port 80
              :80, 0:80   a free local port (shown in the reply and in "forward list")
              80          local 80 to remote 80
              http        a free local port to the port named http
              8080:http   local 8080 to the port named http
            For a service, REMOTE is the service port (number or name), mapped through its targetPort.

            klientd listens on 127.0.0.1 and ::1 unless --address is given (repeatable; other
            addresses, e.g. 0.0.0.0, only this way). The forward is saved and restored when klientd
            starts, on the same local ports, unless --no-persist. It prints the listeners once they
            are bound; the session to the pod may still be connecting (see "forward wait").
            -o json prints the forward as klientd returned it.
            """,
        flags: [
            FlagSpec("context", value: "CONTEXT", help: "kubeconfig context (default: the current context)"),
            FlagSpec("namespace", short: "n", value: "NS", help: "namespace (default: the context's, else default)"),
            FlagSpec("address", value: "ADDR", repeatable: true,
                     help: "local address to listen on (repeatable; default 127.0.0.1 and ::1)"),
            FlagSpec("name", value: "NAME", help: "a name for the forward, usable instead of its ID"),
            FlagSpec("no-persist", help: "do not save the forward; it ends when klientd stops"),
            FlagSpec("pool", value: "N",
                     help: "connections kept open to the pod per port, ready for new clients, 0-16 (default 2)"),
            FlagSpec("mode", value: "MODE", choices: ForwardMode.all,
                     help: "auto (tunnel, else channel; default), tunnel or channel"),
        ],
        arguments: [
            ArgumentSpec("TARGET", help: "pod, svc/NAME, deploy/NAME, sts/NAME or rs/NAME"),
            ArgumentSpec("[LOCAL:]REMOTE", variadic: true, help: "ports to forward, e.g. 8080:80, :80, 80, http"),
        ],
        examples: [
            "klientctl forward add svc/web 8080:80",
            "klientctl forward add -n shop --name db sts/postgres :5432",
            "klientctl forward add --context prod deploy/api 9000:http 9090",
            "klientctl forward add --address 0.0.0.0 --no-persist pod/web-0 8080:80",
            "klientctl forward add --mode channel --pool 4 svc/web 8080:80 -o json",
        ],
        action: run)

    static let path = ["forward", "add"]

    /// The `forward.add` params for a command line.
    /// - Throws: ``UsageError`` for a target, port or `--pool` that does not parse.
    public static func params(_ arguments: Arguments) throws(UsageError) -> ForwardAddParams {
        let positionals = arguments.positionals
        guard positionals.count >= 2 else {
            throw UsageError("\"klientctl forward add\" needs TARGET and at least one [LOCAL:]REMOTE port", commandPath: path)
        }
        let target: ForwardTarget
        do {
            target = try ForwardTarget(parsing: positionals[0])
        } catch {
            throw UsageError(error.message, commandPath: path)
        }
        var ports: [ForwardPortSpec] = []
        for text in positionals.dropFirst() {
            do {
                ports.append(try ForwardPortSpec(parsing: text))
            } catch {
                throw UsageError(error.message, commandPath: path)
            }
        }
        var pool: Int?
        if let text = arguments.value("pool") {
            guard let n = Int(text), ForwardAddParams.poolRange.contains(n) else {
                throw UsageError("invalid value \"\(text)\" for --pool: use a number from 0 to 16", commandPath: path)
            }
            pool = n
        }
        let addresses = arguments.values("address")
        if addresses.contains("") { throw UsageError("flag --address needs a non-empty address", commandPath: path) }
        if let name = arguments.value("name"), name.isEmpty {
            throw UsageError("flag --name needs a non-empty name", commandPath: path)
        }
        return ForwardAddParams(
            context: arguments.value("context"), namespace: arguments.value("namespace"), target: target.description,
            ports: ports, addresses: addresses.isEmpty ? nil : addresses, name: arguments.value("name"),
            persist: !arguments.has("no-persist"), pool: pool, mode: arguments.value("mode") ?? ForwardMode.auto)
    }

    static func run(_ context: CommandContext) async throws -> ExitCode {
        let params = try params(context.arguments)
        let daemon = try await context.connect()
        defer { daemon.close() }
        let (forward, raw) = try await daemon.call(RPCMethod.forwardAdd, params: params.json, as: ForwardInfo.self)
        if context.output == .json {
            try await context.print(JSONPrinter.pretty(raw))
        } else {
            try await context.print(render(forward))
        }
        return .success
    }

    /// `Forwarding svc/web (namespace default, context klient-sim) as f-1 "web"`, then the listeners.
    public static func render(_ forward: ForwardInfo) -> String {
        var text = TableFormatter.printable(
            "Forwarding \(forward.target) \(ForwardCommand.location(forward)) as \(ForwardCommand.label(forward))") + "\n"
        text += ForwardCommand.listenerLines(forward)
        if forward.state == ForwardState.failed || forward.state == ForwardState.backoff {
            text += TableFormatter.printable("  state \(forward.state)" + (forward.reason.map { ": \($0)" } ?? "")) + "\n"
        }
        return text
    }
}
