import KlientRPC

/// `klientctl forward …`: port forwards run by klientd.
public enum ForwardCommand {
    public static let spec = CommandSpec(
        "forward",
        summary: "Add, list, remove and wait for port forwards",
        subcommands: [ForwardAddCommand.spec, ForwardListCommand.spec, ForwardRemoveCommand.spec, ForwardWaitCommand.spec])

    /// `  127.0.0.1:40123 -> 80` per listener (`-> 80 (pod port 8080)` once a
    /// service or named port is resolved to another pod port).
    public static func listenerLines(_ forward: ForwardInfo) -> String {
        forward.listeners.map { listener in
            var line = "  \(listener.localEndpoint) -> \(listener.remotePort)"
            if let podPort = listener.podPort, podPort != listener.remotePort.number { line += " (pod port \(podPort))" }
            return TableFormatter.printable(line) + "\n"
        }.joined()
    }

    /// `f-1 "web"`, or `f-1`.
    static func label(_ forward: ForwardInfo) -> String { forward.displayName }

    /// `(namespace default, context klient-sim)`.
    static func location(_ forward: ForwardInfo) -> String {
        "(namespace \(forward.namespace), context \(forward.context))"
    }
}
