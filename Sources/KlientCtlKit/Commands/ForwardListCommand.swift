import KlientRPC

/// `klientctl forward list` (`forward.list`).
public enum ForwardListCommand {
    public static let spec = CommandSpec(
        "list",
        summary: "List port forwards",
        details: """
            Columns: ID NAME TARGET LISTEN POD STATE CONNS IN OUT RECONNECTS.
            LISTEN is ADDRESS:PORT->REMOTE (addresses sharing a port are listed together), POD the pod
            connections go to now, CONNS the connections open now, IN the bytes received from the
            cluster, OUT the bytes sent to it, RECONNECTS how often the forward moved to a new pod or
            API connection. -o wide adds NAMESPACE CONTEXT MODE LAST-ERROR (MODE shows the mode in use
            in parentheses, e.g. "auto (tunnel)").
            -o json prints {"forwards": [...]} as klientd sent it.
            """,
        examples: ["klientctl forward list", "klientctl forward list -o wide", "klientctl forward list -o json"],
        action: run)

    static func run(_ context: CommandContext) async throws -> ExitCode {
        let daemon = try await context.connect()
        defer { daemon.close() }
        let (result, raw) = try await daemon.call(RPCMethod.forwardList, as: ForwardListResult.self)
        switch context.output {
        case .json:
            try await context.print(JSONPrinter.pretty(raw))
        case .table, .wide:
            try await context.print(render(result.forwards, wide: context.output == .wide))
        }
        return .success
    }

    /// The forward table (or `No forwards.`).
    public static func render(_ forwards: [ForwardInfo], wide: Bool) -> String {
        guard !forwards.isEmpty else { return "No forwards.\n" }
        var columns: [TableFormatter.Column] = [
            .init("ID"), .init("NAME"), .init("TARGET"), .init("LISTEN"), .init("POD"), .init("STATE"),
            .init("CONNS", alignment: .right), .init("IN", alignment: .right), .init("OUT", alignment: .right),
            .init("RECONNECTS", alignment: .right),
        ]
        if wide { columns += [.init("NAMESPACE"), .init("CONTEXT"), .init("MODE"), .init("LAST-ERROR")] }
        let rows = forwards.map { forward -> [String] in
            var row = [
                forward.id, forward.name ?? "-", forward.target, listen(forward.listeners), forward.pod ?? "-",
                forward.state, String(forward.activeConnections), HumanFormat.bytes(forward.bytesIn),
                HumanFormat.bytes(forward.bytesOut), String(forward.reconnects),
            ]
            if wide {
                let mode = forward.activeMode.map { $0 == forward.mode ? $0 : "\(forward.mode) (\($0))" } ?? forward.mode
                row += [forward.namespace, forward.context, mode, forward.lastError ?? "-"]
            }
            return row
        }
        return TableFormatter(columns: columns).render(rows)
    }

    /// `127.0.0.1,[::1]:40123->80`: listeners grouped by local port and remote
    /// port, in order; `-` when there are none.
    public static func listen(_ listeners: [ForwardListener]) -> String {
        var groups: [(key: String, addresses: [String])] = []
        for listener in listeners {
            let key = ":\(listener.port)->\(listener.remotePort)"
            let address = listener.address.contains(":") ? "[\(listener.address)]" : listener.address
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].addresses.append(address)
            } else {
                groups.append((key, [address]))
            }
        }
        guard !groups.isEmpty else { return "-" }
        return groups.map { $0.addresses.joined(separator: ",") + $0.key }.joined(separator: " ")
    }
}
