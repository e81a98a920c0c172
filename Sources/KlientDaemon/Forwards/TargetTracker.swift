import Klient
import Synchronization

/// Follows the pods behind a forward's target and points the pool at a
/// ready one.
///
/// It reads the Service or workload, watches the matching pods and keeps
/// the chosen pod while it stays ready. When it goes away or stops being
/// ready, the pool is pointed at the replacement as soon as one is Ready.
/// A lost watch or API server is retried with backoff; meanwhile the pod in
/// use stays in use.
final class TargetTracker: Sendable {
    struct Settings: Sendable {
        var target: PortForwardTarget
        var namespace: String
        var ports: [IntOrString]
        var mode: String
        var options: PortForwardOptions
    }

    let settings: Settings
    private let client: @Sendable () throws -> KubernetesClient
    private let pool: ConnectionPool
    private let status: ForwardStatus
    private let onPodChange: @Sendable (_ from: String?, _ to: String) -> Void
    private let generation = Mutex(0)
    /// The last pod used, also while none is ready (a switch to another pod is a reconnect).
    private let lastPod = Mutex<String?>(nil)

    init(settings: Settings, client: @escaping @Sendable () throws -> KubernetesClient, pool: ConnectionPool,
         status: ForwardStatus, onPodChange: @escaping @Sendable (String?, String) -> Void) {
        self.settings = settings
        self.client = client
        self.pool = pool
        self.status = status
        self.onPodChange = onPodChange
    }

    /// Runs until cancelled.
    func run() async {
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                let client = try client()
                let selection = try await client.portForwardSelection(for: settings.target, namespace: settings.namespace)
                if let name = selection.podName, pool.target == nil {
                    _ = try await client.resources(Pod.self, namespace: settings.namespace).get(name) // NotFound now, not "no pods"
                }
                var pods: [String: Pod] = [:]
                for try await event in client.resources(Pod.self, namespace: settings.namespace).watch(selection.watchOptions) {
                    switch event {
                    case .restarted(let list, _):
                        pods = Dictionary(list.compactMap { pod in pod.metadata.name.map { ($0, pod) } },
                                          uniquingKeysWith: { _, last in last })
                    case .added(let pod), .modified(let pod):
                        if let name = pod.metadata.name { pods[name] = pod }
                    case .deleted(let pod):
                        if let name = pod.metadata.name { pods[name] = nil }
                    case .bookmark:
                        continue
                    }
                    backoff.reset()
                    evaluate(Array(pods.values), selection: selection, client: client)
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                let permanent = ForwardFailure.code(of: error) != nil
                if pool.target == nil {
                    status.fail(error)
                } else {
                    status.update { $0.lastError = "\(error)" }
                }
                try? await Task.sleep(for: permanent ? max(backoff.next(), .seconds(10)) : backoff.next())
            }
        }
    }

    /// Picks the pod to use from the current list and retargets the pool when it changed.
    private func evaluate(_ pods: [Pod], selection: PortForwardSelection, client: KubernetesClient) {
        let current = pool.target
        guard let chosen = PortForwardPodChooser.choose(pods, current: current?.pod), let name = chosen.metadata.name else {
            if current != nil { pool.retarget(nil) }
            status.update { $0.pod = nil; $0.podPorts = nil }
            status.set(.connecting, reason: "waiting for a ready pod of \(settings.target): "
                       + PortForwardPodChooser.explainNoneReady(pods))
            return
        }
        if current?.pod == name { return }
        let podPorts: [UInt16]
        do {
            podPorts = try selection.podPorts(for: settings.ports, on: chosen)
        } catch {
            if current != nil { pool.retarget(nil) }
            status.fail(error)
            return
        }
        let next = generation.withLock { $0 += 1; return $0 }
        pool.retarget(PodTarget(generation: next, pod: name, podPorts: podPorts, connector: connector(client, pod: name)))
        let previous = lastPod.withLock { last in defer { last = name }; return last }
        status.update { s in
            s.pod = name
            s.podPorts = podPorts
            if previous != nil && previous != name { s.reconnects += 1 }
        }
        if status.current.state != .ready {
            status.set(.connecting, reason: "connecting to pod \(name)")
        }
        if previous != name { onPodChange(previous, name) }
    }

    private func connector(_ client: KubernetesClient, pod: String) -> any PodConnector {
        switch settings.mode {
        case "tunnel": TunnelConnector(client: client, namespace: settings.namespace, pod: pod, options: settings.options)
        case "channel": ChannelConnector(client: client, namespace: settings.namespace, pod: pod, options: settings.options)
        default: AutoConnector(client: client, namespace: settings.namespace, pod: pod, options: settings.options)
        }
    }
}
