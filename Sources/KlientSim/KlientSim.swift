/// klient-sim: a local Kubernetes API simulator. The folders hold its parts:
/// `Store` (generic object storage, resourceVersion, watch), `API` (REST
/// routing, discovery, patches, Status errors, auth), `Runtime` (host
/// processes for pod containers, logs, controllers), `Exec` (exec/attach over
/// WebSocket and SPDY), `PortForward` (channel mode, SPDY, tunnel), `Faults`,
/// `Config` (certificates, kubeconfig, seed manifests).
public enum KlientSimInfo {
    /// The version /version reports as gitVersion.
    public static let kubernetesVersion = "v1.33.0"
}
