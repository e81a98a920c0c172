import Foundation
import KlientHTTP
import KlientIO
import KlientWire
import Testing
@testable import KlientSim

/// A store with the default namespace, a pod runtime in a fresh state
/// directory, optionally the controllers, and an HTTP server that serves
/// pod logs through ``PodLogHandler``.
final class RuntimeHarness: Sendable {
    struct Timeout: Error, CustomStringConvertible { let description: String }

    let store: ObjectStore
    let runtime: PodRuntime
    let controllers: ControllerManager?
    let directory: String
    let server: HTTPServer
    let client = HTTPClient()

    init(controllers: Bool = false) throws {
        store = ObjectStore()
        try store.create(ResourceRegistry.namespaces, namespace: nil, object: ["metadata": ["name": "default"]])
        directory = NSTemporaryDirectory() + "klient-sim-runtime-" + UUID().uuidString
        runtime = PodRuntime(store: store, stateDirectory: directory)
        try runtime.start()
        if controllers {
            let manager = ControllerManager(store: store)
            try manager.start()
            self.controllers = manager
        } else {
            self.controllers = nil
        }
        let handler = PodLogHandler(runtime: runtime)
        let store = self.store, runtime = self.runtime
        server = try HTTPServer.start(on: SocketAddress(parsing: "127.0.0.1:0")) { request in
            // /api/v1/namespaces/NS/pods/NAME/log
            let parts = request.path.split(separator: "/")
            guard parts.count == 7, parts[5].isEmpty == false, parts[6] == "log" else {
                return HTTPServerResponse.text(404, "not found")
            }
            let ns = String(parts[3]), name = String(parts[5])
            guard let object = try? store.get(ResourceRegistry.pods, namespace: ns, name: name) else {
                return HTTPServerResponse.text(404, "no pod")
            }
            let context = PodContext(namespace: ns, name: name, uid: object[path: ["metadata", "uid"]]?.stringValue ?? "",
                                     object: object, workingDirectory: runtime.workingDirectory(namespace: ns, name: name))
            return await handler.handle(request, pod: context)
        }
    }

    func shutdown() async {
        server.shutdown()
        controllers?.stop()
        await runtime.shutdown(grace: .milliseconds(500))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Polls `body` until it returns non-nil.
    func waitFor<T>(_ what: String, timeout: Duration = .seconds(30),
                    _ body: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await body() { return value }
            if ContinuousClock.now > deadline { throw Timeout(description: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func pod(_ name: String, ns: String = "default") -> JSONValue? {
        try? store.get(ResourceRegistry.pods, namespace: ns, name: name)
    }

    func pods(ns: String = "default") -> [JSONValue] {
        (try? store.list(ResourceRegistry.pods, namespace: ns).items) ?? []
    }

    /// GET of a log URL; returns status and body.
    func log(_ pod: String, _ query: String = "", ns: String = "default") async throws -> (Int, String) {
        let endpoint = try HTTPEndpoint(url: server.url)
        let response = try await client.execute(
            HTTPClientRequest(target: "/api/v1/namespaces/\(ns)/pods/\(pod)/log" + (query.isEmpty ? "" : "?" + query)),
            on: endpoint)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// A streaming GET of a log URL (follow).
    func followLog(_ pod: String, _ query: String, ns: String = "default") async throws -> HTTPStreamingResponse {
        let endpoint = try HTTPEndpoint(url: server.url)
        return try await client.stream(
            HTTPClientRequest(target: "/api/v1/namespaces/\(ns)/pods/\(pod)/log?" + query), on: endpoint)
    }
}

/// A pod manifest.
func podManifest(_ name: String, command: [String]? = nil, restartPolicy: String? = nil,
                 containers: [String] = ["main"], labels: [String: String] = [:]) -> JSONValue {
    var spec: JSONValue = ["containers": .array(containers.map { c in
        var container: JSONValue = ["name": .string(c), "image": "busybox"]
        if let command { container["command"] = .array(command.map { .string($0) }) }
        return container
    })]
    if let restartPolicy { spec["restartPolicy"] = .string(restartPolicy) }
    return ["metadata": ["name": .string(name), "labels": .object(labels.mapValues { .string($0) })], "spec": spec]
}

/// Whether a process with `pid` still exists (zombies are reaped by HostProcess).
func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
}
