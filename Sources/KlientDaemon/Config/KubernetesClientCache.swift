import Klient
import KlientHTTP
import Synchronization

/// One ``KubernetesClient`` per kubeconfig context, shared by every kind of
/// session (forwards, exec, attach), all over one ``HTTPClient``: its
/// connection pool and TLS session cache stay warm between sessions.
final class KubernetesClientCache: Sendable {
    private let kubeconfig: KubeconfigState
    private let http = HTTPClient()
    private let clients = Mutex<[String: KubernetesClient]>([:])

    init(kubeconfig: KubeconfigState) {
        self.kubeconfig = kubeconfig
    }

    /// The client for `context` ("" for the current context).
    /// - Throws: `KlientError` for an unknown context or unusable credentials.
    func client(context: String, namespace: String) throws -> KubernetesClient {
        if let cached = clients.withLock({ $0[context] }) { return cached }
        let configuration = try kubeconfig.clientConfiguration(context: context.isEmpty ? nil : context, namespace: namespace)
        let client = try KubernetesClient(configuration: configuration, httpClient: http)
        return clients.withLock { clients in
            if let raced = clients[context] { return raced }
            clients[context] = client
            return client
        }
    }

    /// Forgets every client after a kubeconfig reload; running sessions keep
    /// theirs, new ones get clients built from the new configuration.
    func reset() {
        clients.withLock { $0.removeAll() }
    }
}
