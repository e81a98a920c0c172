import Foundation
import KlientWire

/// Writes the kubeconfig of a running cluster: cluster `klient-sim`; contexts
/// `klient-sim` (admin token), `klient-sim-cert` (client certificate),
/// `klient-sim-readonly` (read-only token) and `klient-sim-exec` (exec
/// plugin `<executable> credential --state-dir DIR`, apiVersion
/// client.authentication.k8s.io/v1, interactiveMode Never).
public enum KubeconfigWriter {
    /// The kubeconfig as YAML (strings JSON-quoted, which YAML accepts).
    public static func render(cluster: SimCluster, executable: String) -> String {
        func q(_ s: String) -> String { JSONValue.string(s).jsonString }
        func b64(_ bytes: [UInt8]) -> String { q(Data(bytes).base64EncodedString()) }
        let auth = cluster.authenticator
        let cert = cluster.adminClientCertificate
        return """
        apiVersion: v1
        kind: Config
        preferences: {}
        clusters:
        - name: klient-sim
          cluster:
            server: \(q(cluster.url))
            certificate-authority-data: \(b64(cluster.certificateAuthority.certificatePEM))
        users:
        - name: klient-sim-admin
          user:
            token: \(q(auth.adminToken))
        - name: klient-sim-cert
          user:
            client-certificate-data: \(b64(cert.certificatePEM))
            client-key-data: \(b64(cert.privateKeyPEM))
        - name: klient-sim-readonly
          user:
            token: \(q(auth.readonlyToken))
        - name: klient-sim-exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: \(q(executable))
              args: [\(q("credential")), \(q("--state-dir")), \(q(cluster.stateDirectory))]
              interactiveMode: Never
              provideClusterInfo: false
        contexts:
        - name: klient-sim
          context: {cluster: klient-sim, user: klient-sim-admin, namespace: default}
        - name: klient-sim-cert
          context: {cluster: klient-sim, user: klient-sim-cert, namespace: default}
        - name: klient-sim-readonly
          context: {cluster: klient-sim, user: klient-sim-readonly, namespace: default}
        - name: klient-sim-exec
          context: {cluster: klient-sim, user: klient-sim-exec, namespace: default}
        current-context: klient-sim

        """
    }

    /// Writes the kubeconfig with mode 0600 (it holds credentials).
    public static func write(cluster: SimCluster, executable: String, to path: String) throws {
        let data = Data(render(cluster: cluster, executable: executable).utf8)
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SimCluster.Failure(description: "cannot write the kubeconfig \(path)")
        }
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw SimCluster.Failure(description: "cannot write the kubeconfig \(path): \(String(cString: strerror(errno)))")
        }
    }
}
