import KlientHTTP
import KlientIO
import KlientWire

extension KubernetesClient {
    /// Runs `command` in a container of `pod` and returns its output and exit
    /// code once it ended.
    ///
    /// `stdin`, when given, is written and then closed (v5 CLOSE), so the
    /// command reads end-of-file after it. On a server that only speaks
    /// `v4.channel.k8s.io` stdin cannot be closed: the bytes are written and
    /// stdin stays open, so a command that stops reading by itself (`head -c
    /// N`, `read`) works, while one that reads to end-of-file (`cat`) never
    /// ends — cancel the task (or use a timeout) in that case. Input the
    /// command does not read because it already ended is dropped.
    ///
    /// Both outputs are collected concurrently, each up to `maxOutput` bytes;
    /// use ``openExec(namespace:pod:command:options:)`` to stream more.
    ///
    /// - Throws: ``ExecError``: `.outputTooLarge` beyond `maxOutput`, the
    ///   refusals of ``openExec(namespace:pod:command:options:)``, and the
    ///   failures of ``ExecSession/exitStatus()`` (`.commandNotFound`, …);
    ///   `CancellationError`.
    public func exec(namespace: String, pod: String, command: [String], stdin: [UInt8]? = nil,
                     options: ExecOptions = .init(), maxOutput: Int = 64 << 20) async throws -> ExecResult {
        var options = options
        options.stdin = stdin != nil
        let session = try await openExec(namespace: namespace, pod: pod, command: command, options: options)
        do {
            let result = try await withThrowingTaskGroup(of: (isStdout: Bool, bytes: [UInt8]).self) { group in
                group.addTask { (true, try await Self.collect(session.stdout, limit: maxOutput, name: "stdout")) }
                group.addTask { (false, try await Self.collect(session.stderr, limit: maxOutput, name: "stderr")) }
                if let stdin {
                    do {
                        try await session.write(stdin: stdin)
                        if session.canCloseStdin { try await session.closeStdin() }
                    } catch let error as ExecError where error.kind == .closed {
                        // The command ended without reading all of it; its status tells the rest.
                    }
                }
                var stdout: [UInt8] = [], stderr: [UInt8] = []
                for try await output in group {
                    if output.isStdout { stdout = output.bytes } else { stderr = output.bytes }
                }
                let status = try await session.exitStatus()
                return ExecResult(stdout: stdout, stderr: stderr, exitCode: status.code)
            }
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// Starts `command` in a container of `pod` and returns the session
    /// (stdout/stderr as async sequences, stdin, resize, the exit status).
    ///
    /// The upgrade (`GET …/pods/{pod}/exec?command=…`) offers
    /// `v5.channel.k8s.io`, then `v4.channel.k8s.io`, goes through
    /// ``perform(_:_:)`` (fresh credentials per attempt, one refresh after a
    /// 401) and must finish within ``ExecOptions/openTimeout``. With
    /// ``ExecOptions/container`` nil and a pod of several containers, the
    /// pod is read to find its `kubectl.kubernetes.io/default-container`
    /// annotation; a refused upgrade reads it too, to say what is wrong.
    ///
    /// - Throws: ``ExecError`` for a refused upgrade: `.podNotFound`,
    ///   `.containerNotFound` (listing the containers), `.containerNotChosen`,
    ///   `.podNotRunning` (with the phase), `.forbidden` (naming `create
    ///   pods/exec`), `.commandNotFound`, `.other`; `.protocolViolation` when
    ///   the server chose no offered subprotocol; ``APIError`` for a 401 after
    ///   the refresh; `TimeoutError`; transport errors; `CancellationError`.
    public func openExec(namespace: String, pod: String, command: [String],
                         options: ExecOptions = .init()) async throws -> ExecSession {
        guard !command.isEmpty else { throw ExecError(.other, "exec needs a command") }
        return try await openRemoteCommand("exec", namespace: namespace, pod: pod, command: command, options: options)
    }

    /// Attaches to the running process of a container (its stdin, stdout,
    /// stderr and TTY, as the container was started). Like
    /// ``openExec(namespace:pod:command:options:)`` otherwise; the RBAC
    /// subresource is `pods/attach`. Closing stdin ends the container's stdin
    /// only when it was started with `stdinOnce`.
    public func openAttach(namespace: String, pod: String, options: ExecOptions = .init()) async throws -> ExecSession {
        try await openRemoteCommand("attach", namespace: namespace, pod: pod, command: nil, options: options)
    }

    // MARK: - Internals

    func openRemoteCommand(_ subresource: String, namespace: String, pod: String, command: [String]?,
                           options: ExecOptions) async throws -> ExecSession {
        guard options.stdin || options.stdout || (options.stderr && !options.tty) else {
            throw ExecError(.other, "\(subresource) needs at least one of stdin, stdout and stderr")
        }
        let path = "/api/v1/namespaces/\(ResourceDescriptor.segment(namespace))/pods/\(ResourceDescriptor.segment(pod))/\(subresource)"
        var configuration = WebSocket.Configuration()
        configuration.pingInterval = options.pingInterval
        configuration.inactivityTimeout = options.inactivityTimeout
        configuration.inboxCapacity = max(1, options.outputBufferMessages)
        configuration.closeTimeout = .seconds(2)
        let socketConfiguration = configuration
        let offer = KubernetesChannelProtocol.execOffer
        return try await withTimeout(options.openTimeout, "opening \(subresource) in pod \(namespace)/\(pod)") {
            var container = options.container
            var podObject: JSONValue?
            while true {
                let upgrade: WebSocketUpgrade
                do {
                    upgrade = try await self.upgradeToWebSocket(
                        path: path, query: Self.remoteCommandQuery(command: command, options: options, container: container),
                        subprotocols: offer.map(\.rawValue), configuration: socketConfiguration)
                } catch let error as APIError where error.code != 401 {
                    if podObject == nil && error.code != 403 {
                        podObject = try? await self.dynamic(Self.podsResource, namespace: namespace).get(pod)
                    }
                    if container == nil, error.code == 400, error.message.contains("container name must be specified"),
                       let podObject {
                        container = try ExecError.defaultContainer(of: podObject, podName: pod)
                        continue
                    }
                    throw ExecError.refusal(error, request: .init(namespace: namespace, pod: pod, subresource: subresource,
                                                                  container: container), pod: podObject)
                }
                guard let name = upgrade.socket.subprotocol, let chosen = KubernetesChannelProtocol(rawValue: name),
                      offer.contains(chosen) else {
                    upgrade.transport.close()
                    throw ExecError(.protocolViolation,
                                    "the server accepted the WebSocket without choosing \(offer.map(\.rawValue).joined(separator: " or "))"
                                    + " (it chose \(upgrade.socket.subprotocol.map { "\"\($0)\"" } ?? "none"))")
                }
                let session = ExecSession(socket: upgrade.socket, proto: chosen, options: options)
                if options.tty, let size = options.terminalSize {
                    do {
                        try await session.resize(size)
                    } catch {
                        await session.close()
                        throw error
                    }
                }
                return session
            }
        }
    }

    /// The query of an exec (`command` given) or attach request as kubectl
    /// sends it: keys sorted, false values left out, `true` for true,
    /// `command` once per argument.
    static func remoteCommandQuery(command: [String]?, options: ExecOptions, container: String?) -> [APIRequest.QueryItem] {
        var items = (command ?? []).map { APIRequest.QueryItem("command", $0) }
        if let container { items.append(.init("container", container)) }
        if options.stderr && !options.tty { items.append(.init("stderr", "true")) }
        if options.stdin { items.append(.init("stdin", "true")) }
        if options.stdout { items.append(.init("stdout", "true")) }
        if options.tty { items.append(.init("tty", "true")) }
        return items
    }

    static func collect(_ output: ExecOutput, limit: Int, name: String) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in output {
            guard all.count + chunk.count <= limit else {
                throw ExecError(.outputTooLarge, "the command wrote more than \(limit) bytes to \(name); "
                                + "raise maxOutput or stream the output with openExec")
            }
            all.append(contentsOf: chunk)
        }
        return all
    }
}
