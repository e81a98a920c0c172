import KlientWire

/// The simulated controller manager: Deployment, ReplicaSet, StatefulSet,
/// DaemonSet and Endpoints controllers over one ``ObjectStore``. Deleting an
/// owner deletes its dependents through the store's garbage collection
/// (background cascade), so there is no separate garbage collector here.
public final class ControllerManager: Sendable {
    public let store: ObjectStore
    private let loops: [ControllerLoop]
    private let registrations: [@Sendable (ControllerLoop) throws -> Void]

    public init(store: ObjectStore) {
        self.store = store
        let replicaSets = ReplicaSetController(store: store)
        let deployments = DeploymentController(store: store)
        let statefulSets = StatefulSetController(store: store)
        let daemonSets = DaemonSetController(store: store)
        let endpoints = EndpointsController(store: store)
        loops = [
            ControllerLoop(name: "deployment", store: store, reconcile: deployments.reconcile),
            ControllerLoop(name: "replicaset", store: store, reconcile: replicaSets.reconcile),
            ControllerLoop(name: "statefulset", store: store, reconcile: statefulSets.reconcile),
            ControllerLoop(name: "daemonset", store: store, reconcile: daemonSets.reconcile),
            ControllerLoop(name: "endpoints", store: store, reconcile: endpoints.reconcile),
        ]
        registrations = [deployments.register, replicaSets.register, statefulSets.register, daemonSets.register,
                         endpoints.register]
    }

    /// Opens the watches and starts the loops (existing objects are reconciled at once).
    /// - Throws: ``StoreError`` if a watch cannot be opened.
    public func start() throws {
        for (loop, register) in zip(loops, registrations) {
            try register(loop)
            loop.start()
        }
    }

    /// Stops every loop.
    public func stop() {
        for loop in loops { loop.stop() }
    }
}
