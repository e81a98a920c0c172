import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientTLS
import KlientWire

/// An in-process klient-sim plus an HTTPS client that trusts it.
final class APITestCluster: Sendable {
    let cluster: SimCluster
    let client = HTTPClient()
    let endpoint: HTTPEndpoint
    let directory: String

    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
    }

    init(historyLimit: Int = 10_000, configure: ((inout SimCluster.Configuration) -> Void)? = nil) throws {
        directory = NSTemporaryDirectory() + "klient-sim-test-\(UUID().uuidString)"
        var configuration = SimCluster.Configuration(listen: try SocketAddress(parsing: "127.0.0.1:0"), stateDirectory: directory)
        configuration.historyLimit = historyLimit
        configure?(&configuration)
        cluster = try SimCluster.start(configuration)
        let tls = try TLSContext(configuration: .client(trustRoots: .pem(cluster.certificateAuthority.certificatePEM)))
        endpoint = try HTTPEndpoint(url: cluster.url, tls: tls)
    }

    deinit {
        cluster.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var adminToken: String { cluster.authenticator.adminToken }
    var readonlyToken: String { cluster.authenticator.readonlyToken }

    func request(_ method: HTTPMethod, _ target: String, json body: JSONValue? = nil, raw: [UInt8]? = nil,
                 contentType: String = "application/json", token: String? = nil, accept: String? = nil) async throws -> Reply {
        var headers: HTTPHeaders = [:]
        if let t = token ?? Optional(adminToken), !t.isEmpty { headers.add(name: "Authorization", value: "Bearer \(t)") }
        if body != nil || raw != nil { headers.add(name: "Content-Type", value: contentType) }
        if let accept { headers.add(name: "Accept", value: accept) }
        let response = try await client.execute(HTTPClientRequest(method: method, target: target, headers: headers,
                                                                  body: raw ?? body?.encoded(), timeout: .seconds(20)), on: endpoint)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Opens a watch and returns its streaming body.
    func watch(_ target: String, token: String? = nil) async throws -> (status: Int, body: HTTPResponseBody) {
        let response = try await client.stream(HTTPClientRequest(method: .GET, target: target,
                                                                 headers: ["Authorization": "Bearer \(token ?? adminToken)"],
                                                                 timeout: .seconds(20)), on: endpoint)
        return (response.status, response.body)
    }
}

/// Splits a watch body into JSON events.
struct WatchLineReader {
    let body: HTTPResponseBody
    var buffer: [UInt8] = []

    init(_ body: HTTPResponseBody) { self.body = body }

    /// The next event, or nil at the end of the body.
    mutating func next() async throws -> JSONValue? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                return try JSONValue.parse(line)
            }
            guard let chunk = try await body.next() else { return nil }
            buffer += chunk
        }
    }
}

let testDeployment: JSONValue = [
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": ["name": "web", "labels": ["app": "web"]],
    "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]],
             "template": ["metadata": ["labels": ["app": "web"]],
                          "spec": ["containers": [["name": "web", "image": "nginx",
                                                   "ports": [["containerPort": 80]],
                                                   "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]]]]]],
]

func testPod(_ name: String, labels: JSONValue = .object([:])) -> JSONValue {
    ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": labels],
     "spec": ["containers": [["name": "c", "image": "busybox"]]]]
}
