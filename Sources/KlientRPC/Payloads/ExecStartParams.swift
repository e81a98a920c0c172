import KlientWire

/// Params of `exec.start`: run a command in a container (or attach to its
/// main process) with the client's stdin, stdout and stderr, which travel
/// with the request as ``ExecDescriptors/count`` descriptors (SCM_RIGHTS).
public struct ExecStartParams: RPCPayload {
    /// The kubeconfig context; the current context when absent.
    public var context: String?
    /// The namespace; the context's namespace (else `default`) when absent.
    public var namespace: String?
    /// `NAME` (a pod), `pod/NAME`, `svc/NAME`, `deploy/NAME`, `sts/NAME` or `rs/NAME` (see ``ForwardTarget``).
    public var target: String
    /// The container; absent: the `kubectl.kubernetes.io/default-container` annotation, else the first container.
    public var container: String?
    /// The command and its arguments (exec); empty for attach.
    public var command: [String]
    /// Whether the client's stdin is passed to the command (default false).
    public var stdin: Bool
    /// Whether the command gets a terminal (default false): stdout and stderr merged, resizes passed on.
    public var tty: Bool
    /// Attach to the container's running process instead of running `command` (default false).
    public var attach: Bool
    /// The terminal's size at start, with `tty`.
    public var terminalSize: TerminalSize?

    public init(context: String? = nil, namespace: String? = nil, target: String, container: String? = nil,
                command: [String], stdin: Bool = false, tty: Bool = false, attach: Bool = false,
                terminalSize: TerminalSize? = nil) {
        self.context = context
        self.namespace = namespace
        self.target = target
        self.container = container
        self.command = command
        self.stdin = stdin
        self.tty = tty
        self.attach = attach
        self.terminalSize = terminalSize
    }

    /// - Throws: ``RPCError`` -32602 naming the field: a target that does not
    ///   parse, an empty container name, no command for exec (or an empty
    ///   program name), a command for attach, a terminal size out of range.
    public init(json: JSONValue) throws(RPCError) {
        try self.init(fields: RPCFields(json))
    }

    init(fields: RPCFields) throws(RPCError) {
        context = try fields.optionalString("context")
        namespace = try fields.optionalString("namespace")
        target = try fields.string("target")
        do {
            _ = try ForwardTarget(parsing: target)
        } catch {
            throw fields.invalid("target", "is not a valid target: \(error.message)")
        }
        container = try fields.optionalString("container")
        if let container, container.isEmpty { throw fields.invalid("container", "must not be empty; leave it out for the default container") }
        command = try fields.strings("command")
        stdin = try fields.optionalBool("stdin") ?? false
        tty = try fields.optionalBool("tty") ?? false
        attach = try fields.optionalBool("attach") ?? false
        if attach {
            guard command.isEmpty else { throw fields.invalid("command", "must be empty with attach: attach runs no command") }
        } else {
            guard let program = command.first else { throw fields.invalid("command", "must name the program to run") }
            guard !program.isEmpty else { throw fields.invalid("command[0]", "must not be empty") }
        }
        terminalSize = try fields.optionalObject("terminalSize").map { f throws(RPCError) in try TerminalSize(fields: f) }
    }

    /// `target` parsed (``init(json:)`` has checked that it parses).
    /// - Throws: ``ForwardSyntaxError`` for a target set in code that does not parse.
    public func parsedTarget() throws(ForwardSyntaxError) -> ForwardTarget {
        try ForwardTarget(parsing: target)
    }

    public var json: JSONValue {
        var object = RPCObjectBuilder()
        object.set("context", context)
        object.set("namespace", namespace)
        object.set("target", target)
        object.set("container", container)
        object.set("command", command)
        object.set("stdin", stdin)
        object.set("tty", tty)
        object.set("attach", attach)
        object.set("terminalSize", terminalSize?.json)
        return object.json
    }
}
