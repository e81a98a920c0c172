import KlientIO
import Foundation
import KlientHTTP
import KlientWire
import Synchronization

/// What makes workloads run in a klient-sim: the ``PodRuntime`` (pods as
/// host processes), the ``ControllerManager`` (Deployments, ReplicaSets,
/// StatefulSets, DaemonSets, Endpoints), and the streaming handlers that
/// need them (`pods/log` through ``PodLogHandler``, `exec`/`attach` through
/// ``ExecAttachHandler``), plus the fault API's pod restarter.
///
/// Usage: `workloads.install(into: &configuration)` before
/// `SimCluster.start(configuration)`, and `await workloads.shutdown()` when
/// the cluster stops (pod processes run in their own sessions and would
/// otherwise outlive the simulator).
public final class SimWorkloads: Sendable {
    private struct State {
        var runtime: PodRuntime?
        var controllers: ControllerManager?
        var startError: (any Error)?
    }

    private let state = Mutex(State())

    public init() {}

    /// The runtime once the cluster has started.
    public var runtime: PodRuntime? { state.withLock { $0.runtime } }
    public var controllers: ControllerManager? { state.withLock { $0.controllers } }
    /// Why the runtime or controllers could not start (their watches), if they failed.
    public var startError: (any Error)? { state.withLock { $0.startError } }

    /// Sets `configuration.makeStreamHandlers` so that, when the cluster has
    /// made its store, the runtime and controllers start on it (pod
    /// directories under `configuration.stateDirectory/pods`), the fault
    /// API's restart-pod reaches ``PodRuntime/restartPod(namespace:name:)``,
    /// and log/exec/attach are served. `portForward` makes the port-forward
    /// handler from the fault plumbing (stream registry, per-message latency).
    public func install(into configuration: inout SimCluster.Configuration,
                        portForward: (@Sendable (StreamRegistry, StreamFaults) -> SimStreamHandlers.Handler)? = nil) {
        let stateDirectory = configuration.stateDirectory
        configuration.makeStreamHandlers = { [self] store, faults in
            let runtime = PodRuntime(store: store, stateDirectory: stateDirectory)
            let controllers = ControllerManager(store: store)
            var failure: (any Error)?
            do {
                try runtime.start()
                try controllers.start()
            } catch {
                failure = error
            }
            state.withLock { state in
                state.runtime = runtime
                state.controllers = controllers
                state.startError = failure
            }
            faults.setPodRestarter { namespace, name in
                try runtime.restartPod(namespace: namespace, name: name)
            }
            let logs = PodLogHandler(runtime: runtime, registry: faults.streams)
            let exec = ExecAttachHandler(registry: faults.streams, faults: faults.streamFaults)
            return SimStreamHandlers(
                exec: { request, pod in await exec.exec(request, pod: pod) },
                attach: { request, pod in await exec.attach(request, pod: pod, runtime: runtime) },
                portForward: portForward?(faults.streams, faults.streamFaults),
                log: { request, pod in await logs.handle(request, pod: pod) })
        }
    }

    /// Stops the controllers and every pod's processes (SIGTERM, SIGKILL after `grace`).
    public func shutdown(grace: Duration = .seconds(2)) async {
        let (runtime, controllers) = state.withLock { ($0.runtime, $0.controllers) }
        controllers?.stop()
        await runtime?.shutdown(grace: grace)
    }
}
