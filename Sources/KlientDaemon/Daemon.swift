#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Klient
import KlientIO
import KlientRPC
import KlientWire
import Synchronization

/// klientd: the control socket, the session registry, events, the
/// kubeconfig, and the systemd life cycle (socket activation, READY/STATUS/
/// RELOADING/STOPPING, watchdog). `run()` returns the exit code.
public final class Daemon: Sendable {
    public let options: DaemonOptions
    public let environment: [String: String]
    public let logger: DaemonLogger
    public let events = EventBus()
    public let sessions: SessionRegistry
    public let kubeconfig: KubeconfigState
    public let router = RPCRouter()
    let forwards: ForwardManager
    let execs: ExecManager
    /// Kubernetes clients per context, shared by forwards and exec sessions.
    let clients: KubernetesClientCache
    let startedAt = Date()
    let notifier: SystemdNotifier

    /// Time sessions get to finish when klientd stops.
    public static let drainDeadline: Duration = .seconds(10)

    public init(options: DaemonOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.environment = environment
        logger = DaemonLogger(minimumLevel: DaemonLogger.Level(parsing: options.logLevel) ?? .info, format: options.logFormat,
                              environment: environment)
        sessions = SessionRegistry(events: events)
        kubeconfig = KubeconfigState(paths: options.kubeconfig, environment: environment)
        notifier = SystemdNotifier(environment: environment)
        clients = KubernetesClientCache(kubeconfig: kubeconfig)
        forwards = ForwardManager(sessions: sessions, kubeconfig: kubeconfig, clients: clients, logger: logger,
                                  stateDirectory: Self.stateDirectory(options: options, environment: environment))
        execs = ExecManager(sessions: sessions, kubeconfig: kubeconfig, clients: clients, logger: logger)
        registerMethods()
        registerForwardMethods()
        registerExecMethods()
    }

    /// Serves until SIGTERM/SIGINT, then drains and returns 0; returns 1 when
    /// it cannot start (the reason is logged).
    public func run() async -> Int32 {
        // Exec sessions read and write terminals klientctl hands over; if one is
        // also our controlling terminal (klientd started in a shell's
        // background), job control must not stop the daemon: I/O fails instead.
        signal(SIGTTIN, SIG_IGN)
        signal(SIGTTOU, SIG_IGN)
        let signals: AsyncStream<Int32>
        do {
            signals = try Signals.stream([SIGTERM, SIGINT, SIGHUP])
        } catch {
            logger.log(.error, "cannot handle signals: \(error)")
            return 1
        }
        let socketPath = ControlSocketLocation.resolve(explicit: options.socketPath, environment: environment, uid: getuid())
        let listeners: [Listener]
        let activated: Bool
        do {
            if let inherited = try SocketActivation.listeners(environment: environment), !inherited.isEmpty {
                listeners = inherited
                activated = true
            } else {
                try ControlSocketLocation.prepareDirectory(for: socketPath, uid: getuid())
                listeners = [try ControlSocketLocation.bind(at: socketPath, uid: getuid())]
                activated = false
            }
            try prepareStateDirectory()
        } catch {
            logger.log(.error, "cannot start: \(error)")
            return 1
        }
        socketState.withLock { $0 = (socketPath, activated) }
        await forwards.restore()
        if let error = kubeconfig.loaded.error {
            logger.log(.warning, "kubeconfig: \(error) (klientd runs on; fix it and send SIGHUP or run klientctl config reload)")
        }
        let server = ControlServer(listeners: listeners, router: router, logger: logger)
        server.start()
        serverReference.set(server)
        try? notifier.ready(status: statusSummary())
        logger.log(.info, "klientd \(RPCProtocol.softwareVersion) serving on \(socketPath)\(activated ? " (socket-activated)" : "")",
                   fields: ["SOCKET": socketPath])
        let watchdog = Watchdog(environment: environment, notifier: notifier).map { watchdog in
            Task { [logger] in
                await watchdog.run { error in logger.log(.warning, "watchdog ping failed: \(error)") }
            }
        }
        let statusUpdates = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                guard let self else { return }
                try? self.notifier.status(self.statusSummary())
            }
        }
        var signalName = "stopping"
        // The iterator stays alive (and so our handlers stay installed) until
        // run() returns: a second SIGTERM during the drain must not find the
        // default disposition and kill the process mid-shutdown.
        var received = signals.makeAsyncIterator()
        while let signal = await received.next() {
            if signal == SIGHUP {
                reloadConfiguration()
                continue
            }
            signalName = signal == SIGTERM ? "SIGTERM" : "SIGINT"
            logger.log(.info, "stopping (\(signalName)): draining \(sessions.count) sessions")
            break
        }
        defer { withExtendedLifetime(received) {} }
        try? notifier.stopping(status: "stopping: draining \(sessions.count) sessions")
        router.beginStopping()
        execs.beginShutdown()
        events.publish(DaemonEvent(type: "daemon.stopping", time: DaemonClock.timestamp(), session: nil,
                                   message: signalName))
        server.stopAccepting()
        await sessions.stopAll(deadline: Self.drainDeadline)
        events.finishAll()
        // Clients already accepted get their in-flight request answered (a
        // restart under load must not fail calls); then whoever stays is closed.
        let grace = ContinuousClock.now + .seconds(2)
        while server.clientCount > 0 && ContinuousClock.now < grace {
            try? await Task.sleep(for: .milliseconds(20))
        }
        server.closeAll()
        statusUpdates.cancel()
        watchdog?.cancel()
        if !activated { unlink(socketPath) }
        logger.log(.info, "stopped")
        return 0
    }

    private let serverReference = ServerReference()
    /// The control socket path and whether systemd passed it in.
    let socketState = Mutex<(path: String, activated: Bool)>(("", false))

    final class ServerReference: Sendable {
        private let server = Mutex<ControlServer?>(nil)
        func set(_ value: ControlServer) { server.withLock { $0 = value } }
        var value: ControlServer? { server.withLock { $0 } }
    }

    var clientCount: Int { serverReference.value?.clientCount ?? 0 }

    /// `3 sessions, 2 clients` for systemd's STATUS and `daemon.status`.
    func statusSummary() -> String {
        let count = sessions.count
        let forwards = sessions.count(kind: "forward")
        let clients = clientCount
        return "\(forwards) forward\(forwards == 1 ? "" : "s"), \(count) session\(count == 1 ? "" : "s"), "
            + "\(clients) client\(clients == 1 ? "" : "s")"
    }

    @discardableResult
    func reloadConfiguration() -> Result<KubeConfig, RPCError> {
        try? notifier.reloading(status: "reloading the kubeconfig")
        defer { try? notifier.ready(status: statusSummary()) }
        do {
            let config = try kubeconfig.reload()
            clients.reset()
            logger.log(.info, "kubeconfig reloaded: \(kubeconfig.contexts.count) contexts from \(kubeconfig.files.joined(separator: ":"))")
            events.publish(DaemonEvent(type: "config.reloaded", time: DaemonClock.timestamp(), session: nil,
                                       message: "\(kubeconfig.contexts.count) contexts"))
            return .success(config)
        } catch {
            logger.log(.warning, "kubeconfig reload failed, keeping the previous one: \(error)")
            return .failure(.application(.invalid, "kubeconfig reload failed (the previous configuration stays in use): \(error)"))
        }
    }

    var stateDirectory: String { Self.stateDirectory(options: options, environment: environment) }

    static func stateDirectory(options: DaemonOptions, environment: [String: String]) -> String {
        if let dir = options.stateDirectory { return dir }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/klient" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/klient"
    }

    private func prepareStateDirectory() throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }
}
