import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTLS
import KlientWire
import Synchronization

// Shared pieces of the port-forward tests: pod-side target servers, an HTTP
// server that hosts the handler (plus just enough fake API for kubectl), and
// a small SPDY/3.1 client built on KlientWire's codec.

enum PFTest {
    static let namespace = "pf-ns"
    static let podName = "pf-pod"
    static let uid = "0d6f5e2a-1111-4222-8333-944455556666"

    /// A pod whose ports map to `targets` through `klient-sim/port.P` annotations.
    static func pod(_ targets: [UInt16: String]) -> PodContext {
        var annotations: [String: JSONValue] = [:]
        for (port, address) in targets { annotations["klient-sim/port.\(port)"] = .string(address) }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(podName), "namespace": .string(namespace), "uid": .string(uid),
                         "resourceVersion": "1", "creationTimestamp": "2024-01-01T00:00:00Z",
                         "annotations": .object(annotations)],
            "spec": ["containers": [["name": "main", "image": "busybox",
                                     "ports": .array(targets.keys.sorted().map { ["containerPort": .int(Int64($0))] })]],
                     "nodeName": "klient-sim"],
            "status": ["phase": "Running", "podIP": "127.0.0.1", "hostIP": "127.0.0.1"],
        ]
        return PodContext(namespace: namespace, name: podName, uid: uid, object: object, workingDirectory: "/tmp")
    }

    static var portForwardPath: String { "/api/v1/namespaces/\(namespace)/pods/\(podName)/portforward" }

    /// An HTTP(S) server whose `…/portforward` path goes to a ``PortForwardHandler``
    /// and which answers the few API reads `kubectl port-forward` makes first
    /// (discovery and GET of the pod).
    static func server(pod: PodContext, registry: StreamRegistry = StreamRegistry(), faults: StreamFaults = StreamFaults(),
                       tls: TLSContext? = nil, observe: (@Sendable (HTTPServerRequest) -> Void)? = nil) throws -> HTTPServer {
        let handler = PortForwardHandler(registry: registry, faults: faults)
        return try HTTPServer.start(on: .ipv4("127.0.0.1", port: 0), tls: tls) { request in
            observe?(request)
            let path = String(request.path)
            if path.hasSuffix("/portforward") { return await handler.handle(request, pod: pod) }
            let notFound: JSONValue = [
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404]
            let json: JSONValue
            switch path {
            case "/api":
                json = ["kind": "APIVersions", "versions": ["v1"],
                        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:443"]]]
            case "/apis":
                json = ["kind": "APIGroupList", "apiVersion": "v1", "groups": []]
            case "/api/v1":
                json = ["kind": "APIResourceList", "groupVersion": "v1", "resources": [
                    ["name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
                     "verbs": ["get", "list"], "shortNames": ["po"]],
                    ["name": "pods/portforward", "singularName": "", "namespaced": true,
                     "kind": "PodPortForwardOptions", "verbs": ["create", "get"]],
                ]]
            case "/version":
                json = ["major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"]
            case "/api/v1/namespaces/\(namespace)/pods/\(podName)":
                json = pod.object
            default:
                return HTTPServerResponse(status: 404, headers: ["Content-Type": "application/json"], body: notFound.encoded())
            }
            return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"], body: json.encoded())
        }
    }
}
