import Klient
import KlientWire

/// The examples of docs/library.md, compiled. `LibraryDocTests` checks that
/// every ```swift block of the page appears here line for line, and runs
/// the ones that need no more than klient-sim.
enum LibraryExamples {
    static func connect() throws -> KubernetesClient {
        let configuration = try ClientConfiguration.load(context: "staging", overrides: KubeConfigOverrides(namespace: "shop"))
        let client = try KubernetesClient(configuration: configuration)
        return client
    }

    static func explicitConfigurations(token: String, caPEM: [UInt8]) -> [ClientConfiguration] {
        let explicit = ClientConfiguration(server: "https://10.0.0.1:6443", token: token, certificateAuthorityPEM: caPEM)
        let proxied = ClientConfiguration(server: "http://127.0.0.1:8001")
        return [explicit, proxied]
    }

    static func typedResources(client: KubernetesClient) async throws {
        let deployments = client.resources(Deployment.self, namespace: "shop")
        let web = Deployment(
            metadata: ObjectMeta(name: "web", labels: ["app": "web"]),
            spec: DeploymentSpec(
                replicas: 2,
                selector: LabelSelector(matchLabels: ["app": "web"]),
                template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": "web"]),
                    spec: PodSpec(containers: [Container(name: "web", image: "nginx:1.27")]))))
        _ = try await deployments.create(web)

        var current = try await deployments.get("web")
        current.metadata.labels?["tier"] = "front"
        current = try await deployments.replace(current) // 409 Conflict if someone changed it meanwhile

        try await deployments.scale("web", replicas: 3)
        let pods = try await client.resources(Pod.self, namespace: "shop").list(ListOptions(labelSelector: "app=web"))
        print(pods.items.map { $0.metadata.name ?? "" })
    }

    static func patches(client: KubernetesClient) async throws {
        let services = client.resources(Service.self, namespace: "shop")
        _ = try await services.patch("web", .merge(["metadata": ["annotations": ["owner": "team-a"]]]))
        _ = try await services.patch("web", .strategicMerge(["spec": ["ports": [["port": 8443, "name": "https"]]]]))
        _ = try await services.patch("web", .json([.replace("/spec/type", "NodePort")]))
        _ = try await services.patch("web", .apply(
            ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web", "labels": ["managed": "yes"]]],
            fieldManager: "my-tool", force: true))
    }

    static func deletes(client: KubernetesClient) async throws {
        let configMaps = client.resources(ConfigMap.self, namespace: "shop")
        try await configMaps.delete("settings", options: DeleteOptions(propagationPolicy: .foreground, gracePeriodSeconds: 0,
                                                                     preconditionResourceVersion: "1234"))
        try await configMaps.deleteCollection(ListOptions(labelSelector: "generated=true"))
    }

    static func paging(client: KubernetesClient) async throws -> Int {
        var restarts = 0
        for try await pod in client.resourcesInAllNamespaces(Pod.self).items(pageSize: 500) {
            restarts += pod.status?.containerStatuses?.reduce(0) { $0 + $1.restartCount } ?? 0
        }
        return restarts
    }

    static func watching(client: KubernetesClient) async throws {
        for try await event in client.resources(Pod.self, namespace: "shop").watch(WatchOptions(labelSelector: "app=web")) {
            switch event {
            case .restarted(let pods, _): print("now \(pods.count) pods")
            case .added(let pod), .modified(let pod): print("\(pod.metadata.name ?? ""): \(pod.status?.phase ?? "?")")
            case .deleted(let pod): print("\(pod.metadata.name ?? "") deleted")
            case .bookmark: break
            }
        }
    }

    static func logs(client: KubernetesClient) async throws {
        let last = try await client.logs(pod: "web-0", namespace: "shop", options: LogOptions(container: "web", tailLines: 20))
        print(String(decoding: last, as: UTF8.self))

        let follow = try await client.logStream(pod: "web-0", namespace: "shop",
                                                options: LogOptions(follow: true, sinceSeconds: 60, timestamps: true))
        for try await line in follow.lines() where line.contains("ERROR") {
            print(line)
        }
    }

    static func dynamic(client: KubernetesClient) async throws {
        let widgets = try await client.dynamic(apiVersion: "example.com/v1", kind: "Widget", namespace: "shop")
        let widget = try await widgets.get("blue")
        print(widget[path: ["spec", "size"]] ?? "no size")

        let resource = try await client.resource(named: "deploy") // deployments.v1.apps
        let raw = client.dynamic(resource, namespace: "shop")
        print(try await raw.list().items.count)
    }

    static func portForwardTunnel(client: KubernetesClient) async throws -> [UInt8] {
        let tunnel = try await client.openPortForwardTunnel(namespace: "shop", pod: "web-0")
        let connection = try await tunnel.openStream(port: 8080)
        try await connection.write(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        try await connection.shutdownWrite() // the pod sees EOF; its answer still arrives
        var answer: [UInt8] = []
        while true {
            let bytes = try await connection.read(maxBytes: 65536)
            if bytes.isEmpty { break }
            answer += bytes
        }
        connection.close()
        await tunnel.close()
        return answer
    }

    static func portForwardFallback(client: KubernetesClient) async throws {
        do {
            let tunnel = try await client.openPortForwardTunnel(namespace: "shop", pod: "web-0")
            print("tunnel open with \(tunnel.activeStreams) connections")
        } catch PortForwardError.tunnelUnsupported(let why) {
            print("no tunnel (\(why)); one WebSocket per connection instead")
            let channel = try await client.openPortForwardChannel(namespace: "shop", pod: "web-0", port: 8080)
            try await channel.write(Array("ping\n".utf8))
            print(try await channel.read(maxBytes: 1024))
            channel.close()
        }
    }

    static func execOneShot(client: KubernetesClient) async throws {
        let result = try await client.exec(namespace: "shop", pod: "web-0", command: ["sh", "-c", "cat; exit 3"],
                                           stdin: Array("hello\n".utf8))
        print(String(decoding: result.stdout, as: UTF8.self), result.exitCode) // hello, 3
    }

    static func execSession(client: KubernetesClient) async throws {
        var options = ExecOptions()
        options.stdin = true
        let session = try await client.openExec(namespace: "shop", pod: "web-0", command: ["gzip", "-c"], options: options)
        async let compressed: Int = {
            var total = 0
            for try await chunk in session.stdout { total += chunk.count }
            return total
        }()
        try await session.write(stdin: Array(repeating: 0x61, count: 1 << 20))
        try await session.closeStdin()
        print(try await compressed, try await session.exitStatus().code)
    }

    static func execErrors(client: KubernetesClient) async throws {
        do {
            _ = try await client.exec(namespace: "shop", pod: "web-0", command: ["true"])
        } catch let error as ExecError {
            switch error.kind {
            case .containerNotChosen, .containerNotFound: print(error.message) // lists the pod's containers
            case .forbidden: print(error.message) // names the RBAC permission: create pods/exec
            default: print("exec failed: \(error)")
            }
        }
    }

    static func errors(configMaps: ResourceClient<ConfigMap>) async throws {
        do {
            _ = try await configMaps.get("missing")
        } catch let error as APIError where error.reason == .notFound {
            print("not there: \(error.message)")
        } catch let error as APIError where error.reason == .forbidden {
            print("not allowed: \(error)") // names the verb, resource and user
        }
    }

    static func tuning(configuration: ClientConfiguration) throws -> Task<KubernetesList<Pod>, any Error> {
        var tuned = configuration
        tuned.retry = RetryPolicy(maxRetries: 3, initialBackoff: .milliseconds(100), maxBackoff: .seconds(5))
        tuned.requestTimeout = .seconds(10)
        let patient = try KubernetesClient(configuration: tuned)
        let listing = Task { try await patient.resources(Pod.self).list() }
        listing.cancel()
        return listing
    }
}
