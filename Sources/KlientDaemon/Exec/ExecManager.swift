import Klient
import KlientIO
import KlientRPC
import KlientWire
import Synchronization

/// klientd's exec and attach sessions: `exec.start`, `exec.resize`,
/// `exec.wait`. Each running one is also a session (kind `exec` or
/// `attach`) in the registry; its outcome is kept for `exec.wait` until the
/// connection that started it closes, which also ends it if still running.
final class ExecManager: Sendable {
    private let sessions: SessionRegistry
    private let kubeconfig: KubeconfigState
    private let clients: KubernetesClientCache
    private let logger: DaemonLogger
    private let runs = Mutex<[String: ExecRun]>([:])
    private let nextID = Mutex(1)
    private let shuttingDown = SharedFlag()

    init(sessions: SessionRegistry, kubeconfig: KubeconfigState, clients: KubernetesClientCache, logger: DaemonLogger) {
        self.sessions = sessions
        self.kubeconfig = kubeconfig
        self.clients = clients
        self.logger = logger
    }

    /// Sessions ended from now on are reported as stopped by klientd's shutdown.
    func beginShutdown() {
        shuttingDown.set()
    }

    // MARK: exec.start

    func start(_ params: ExecStartParams, context call: RPCCallContext) async throws -> ExecInfo {
        guard let received = call.connection.takeDescriptors() else {
            throw RPCError.application(.invalid, "exec.start needs the client's stdin, stdout and stderr sent with the request "
                                       + "(\(ExecDescriptors.count) descriptors, SCM_RIGHTS)")
        }
        guard !received.truncated, received.descriptors.count == ExecDescriptors.count else {
            throw RPCError.application(.invalid, "exec.start takes exactly \(ExecDescriptors.count) descriptors (stdin, stdout, "
                                       + "stderr); \(received.truncated ? "more" : "\(received.descriptors.count)") came with it")
        }
        let target: ForwardTarget
        do { target = try params.parsedTarget() } catch { throw RPCError.application(.invalid, error.message) }
        let configuration: ClientConfiguration
        let client: KubernetesClient
        let contextName = params.context ?? kubeconfig.currentContext ?? ""
        do {
            configuration = try kubeconfig.clientConfiguration(context: params.context, namespace: params.namespace)
            client = try clients.client(context: contextName, namespace: configuration.namespace)
        } catch {
            throw RPCError.application(.invalid, "\(error)")
        }
        let namespace = configuration.namespace
        let stdio: ClientStdio
        do {
            stdio = try ClientStdio(received.descriptors, useStdin: params.stdin, useStderr: !params.tty)
        } catch {
            throw RPCError.application(.invalid, "cannot use the descriptors sent with exec.start: \(error)")
        }
        let pod: String
        do {
            pod = try await Self.pod(for: target, namespace: namespace, client: client)
        } catch {
            stdio.close()
            throw ExecFailure.rpcError(error, target: target.description, namespace: namespace)
        }

        let id = nextID.withLock { n in defer { n += 1 }; return "e-\(n)" }
        let kind = params.attach ? "attach" : "exec"
        let spec = ExecRun.Spec(id: id, kind: kind, context: contextName, namespace: namespace, pod: pod,
                                container: params.container, command: params.command, stdin: params.stdin, tty: params.tty,
                                clientPID: call.peerPID, startedAt: DaemonClock.timestamp())
        let shuttingDown = self.shuttingDown
        let run = ExecRun(spec: spec, stdio: stdio,
                          stopReason: { shuttingDown.isSet ? "klientd is stopping" : "stopped by session.stop" },
                          onEnd: { [weak self] run, result in self?.ended(run, result) })
        runs.withLock { $0[id] = run }
        sessions.add(run)
        call.connection.onClose { [weak self] in
            Task {
                await run.stop(reason: "the client's connection to klientd closed")
                self?.forget(id)
            }
        }

        var options = ExecOptions()
        options.container = params.container
        options.stdin = params.stdin
        options.tty = params.tty
        options.stderr = !params.tty
        if params.tty, let size = params.terminalSize {
            options.terminalSize = ExecTerminalSize(width: UInt16(size.width), height: UInt16(size.height))
        }
        let session: ExecSession
        do {
            session = params.attach
                ? try await client.openAttach(namespace: namespace, pod: pod, options: options)
                : try await client.openExec(namespace: namespace, pod: pod, command: params.command, options: options)
        } catch {
            let failure = ExecFailure.rpcError(error, target: "pod/\(pod)", namespace: namespace)
            run.failedToOpen(failure)
            forget(id)
            throw failure
        }
        run.begin(session)
        logger.log(.info, "\(kind) \(id) started: \(run.info.target) (\(session.subprotocol))",
                   fields: ["SESSION_ID": id, "TARGET": "pod/\(pod)", "CONTEXT": contextName])
        return ExecInfo(id: id, kind: kind, context: contextName, namespace: namespace, pod: pod, container: params.container,
                        subprotocol: session.subprotocol)
    }

    /// The pod a target runs in: a pod by name (whatever its readiness, as
    /// kubectl does), else the first Ready pod of the Service or workload.
    static func pod(for target: ForwardTarget, namespace: String, client: KubernetesClient) async throws -> String {
        if target.kind == .pod { return target.name }
        let resolved = try await client.resolvePortForward(PortForwardTarget(kind: ForwardManager.kind(target.kind), name: target.name),
                                                           namespace: namespace, ports: [])
        guard let name = resolved.pod.metadata.name else {
            throw PortForwardTargetError(.noReadyPod, "\(target): the chosen pod has no name")
        }
        return name
    }

    // MARK: exec.resize, exec.wait, session.stop

    func resize(_ params: ExecResizeParams) async throws -> ExecResizeResult {
        guard let run = runs.withLock({ $0[params.id] }) else { throw Self.notFound(params.id) }
        return ExecResizeResult(id: params.id, resized: await run.resize(params.size))
    }

    func wait(_ params: ExecWaitParams) async throws -> ExecExitResult {
        guard let run = runs.withLock({ $0[params.id] }) else { throw Self.notFound(params.id) }
        return try await run.outcome.wait().get()
    }

    var count: Int { runs.withLock { $0.count } }

    // MARK: Internals

    private func ended(_ run: ExecRun, _ result: Result<ExecExitResult, RPCError>) {
        let id = run.id
        switch result {
        case .success(let exit):
            let how = exit.exitCode.map { "exit code \($0)" } ?? exit.end
            logger.log(.info, "\(run.spec.kind) \(id) ended: \(how)", fields: ["SESSION_ID": id])
            sessions.remove(id)
        case .failure(let error):
            logger.log(.warning, "\(run.spec.kind) \(id) failed: \(error.message)", fields: ["SESSION_ID": id])
            sessions.remove(id, failure: error.message)
        }
    }

    private func forget(_ id: String) {
        _ = runs.withLock { $0.removeValue(forKey: id) }
    }

    static func notFound(_ id: String) -> RPCError {
        .application(.notFound, "no exec session \"\(id)\"", details: ["id": .string(id)])
    }
}

/// A flag set once, readable from anywhere.
final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
