import Foundation
import Klient
import KlientIO
import KlientSim
import KlientTestSupport
import KlientWire

/// An in-process klient-sim (with pod runtime and controllers) and
/// `ClientConfiguration`s for its identities.
final class SimHarness: Sendable {
    let cluster: SimCluster
    let workloads: SimWorkloads
    let directory: String

    /// The sim contexts a kubeconfig of klient-sim has.
    enum Identity: String, CaseIterable, Sendable {
        case admin = "klient-sim"
        case cert = "klient-sim-cert"
        case readonly = "klient-sim-readonly"
        case exec = "klient-sim-exec"
    }

    static var simBinary: String { TestPython.repositoryRoot + "/.build/debug/klient-sim" }

    /// - Parameter portForward: serve `pods/portforward` (channel mode, SPDY and the tunnel) as `klient-sim serve` does.
    init(historyLimit: Int = 10_000, portForward: Bool = false) async throws {
        directory = NSTemporaryDirectory() + "klient-lib-\(UUID().uuidString.prefix(8))"
        var configuration = SimCluster.Configuration(listen: try SocketAddress(parsing: "127.0.0.1:0"),
                                                     stateDirectory: directory + "/state")
        configuration.historyLimit = historyLimit
        workloads = SimWorkloads()
        let makePortForward: @Sendable (StreamRegistry, StreamFaults) -> SimStreamHandlers.Handler = { registry, faults in
            let handler = PortForwardHandler(registry: registry, faults: faults)
            return { request, pod in await handler.handle(request, pod: pod) }
        }
        workloads.install(into: &configuration, portForward: portForward ? makePortForward : nil)
        cluster = try SimCluster.start(configuration)
        if let error = workloads.startError { throw error }
    }

    func shutdown() async {
        cluster.shutdown()
        await workloads.shutdown(grace: .milliseconds(500))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A configuration for one of the sim's identities, built directly (no kubeconfig).
    func configuration(_ identity: Identity = .admin) -> ClientConfiguration {
        var configuration = ClientConfiguration(server: cluster.url,
                                                certificateAuthorityPEM: cluster.certificateAuthority.certificatePEM)
        switch identity {
        case .admin:
            configuration.credentials = StaticCredentialSource(Credentials(bearerToken: cluster.authenticator.adminToken))
        case .readonly:
            configuration.credentials = StaticCredentialSource(Credentials(bearerToken: cluster.authenticator.readonlyToken))
        case .cert:
            configuration.tls.clientIdentity = cluster.adminClientCertificate.identity
        case .exec:
            fatalError("the exec identity comes from the kubeconfig")
        }
        configuration.contextName = identity.rawValue
        configuration.warnings = .ignore
        configuration.retry = RetryPolicy(maxRetries: 5, initialBackoff: .milliseconds(50), maxBackoff: .seconds(2))
        return configuration
    }

    func client(_ identity: Identity = .admin) throws -> KubernetesClient {
        try KubernetesClient(configuration: configuration(identity))
    }

    /// Writes the sim's kubeconfig (exec plugin: the built `klient-sim`, or
    /// `plugin` instead) and returns its path.
    func writeKubeconfig(plugin: String? = nil) throws -> String {
        let path = directory + "/kubeconfig"
        try KubeconfigWriter.write(cluster: cluster, executable: plugin ?? Self.simBinary, to: path)
        return path
    }

    /// A client for `context` of the sim's kubeconfig, loaded the way kubectl loads it.
    func kubeconfigClient(_ identity: Identity, plugin: String? = nil) throws -> KubernetesClient {
        let kubeconfig = try KubeConfig.load(explicitPath: try writeKubeconfig(plugin: plugin))
        var configuration = try kubeconfig.clientConfiguration(context: identity.rawValue, warnings: .ignore)
        configuration.retry = RetryPolicy(maxRetries: 5, initialBackoff: .milliseconds(50), maxBackoff: .seconds(2))
        return try KubernetesClient(configuration: configuration)
    }

    /// Polls `body` until it returns non-nil (or fails after `timeout`).
    func waitFor<T>(_ what: String, timeout: Duration = .seconds(30), _ body: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await body() { return value }
            if ContinuousClock.now > deadline { throw KlientError.invalidArgument("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

let configMaps = ResourceDescriptor(group: "", version: "v1", name: "configmaps", kind: "ConfigMap", namespaced: true)
let deployments = ResourceDescriptor(group: "apps", version: "v1", name: "deployments", kind: "Deployment", namespaced: true)
let namespaces = ResourceDescriptor(group: "", version: "v1", name: "namespaces", kind: "Namespace", namespaced: false)
let podsResource = ResourceDescriptor(group: "", version: "v1", name: "pods", kind: "Pod", namespaced: true)
