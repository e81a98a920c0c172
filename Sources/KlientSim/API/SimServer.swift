import Foundation
import KlientHTTP
import KlientIO
import KlientWire

/// The API router of klient-sim: an `HTTPServer` handler serving health,
/// version, discovery, CRUD/list/watch/patch of every registered resource,
/// the streaming pod subresources (through ``SimStreamHandlers``) and the
/// fault API under `/klient-sim/faults`.
public final class SimServer: Sendable {
    public struct Configuration: Sendable {
        /// Pods' working directories live under `<root>/<namespace>/<pod>`.
        public var podDirectoryRoot: String
        /// Interval of watch bookmarks (when the client allows them).
        public var bookmarkInterval: Duration = .seconds(30)
        /// Upper bound of a watch without `timeoutSeconds`.
        public var maxWatchDuration: Duration = .seconds(1800)

        public init(podDirectoryRoot: String = NSTemporaryDirectory() + "klient-sim-pods") {
            self.podDirectoryRoot = podDirectoryRoot
        }
    }

    public let store: ObjectStore
    public let authenticator: SimAuthenticator
    public let faults: FaultInjector
    public let streamHandlers: SimStreamHandlers
    public let configuration: Configuration

    public init(store: ObjectStore, authenticator: SimAuthenticator, faults: FaultInjector,
                streamHandlers: SimStreamHandlers = SimStreamHandlers(), configuration: Configuration = Configuration()) {
        self.store = store
        self.authenticator = authenticator
        self.faults = faults
        self.streamHandlers = streamHandlers
        self.configuration = configuration
    }

    /// Streaming connections register here (the fault API drops them).
    public var streams: StreamRegistry { faults.streams }
    public var streamFaults: StreamFaults { faults.streamFaults }

    /// Use as the `HTTPServer` handler: `HTTPServer.start(on:tls:handler: server.handle)`.
    @Sendable public func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let response = await route(request)
        if Self.logRequests {
            FileHandle.standardError.write(Data("klient-sim: \(request.method.rawValue) \(request.target) -> \(response.head.status)\n".utf8))
        }
        return response
    }

    /// `KLIENT_SIM_LOG=1` logs every request to stderr.
    static let logRequests = ProcessInfo.processInfo.environment["KLIENT_SIM_LOG"] == "1"

    private func route(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let path = String(request.path)
        if path == "/klient-sim/faults" || path.hasPrefix("/klient-sim/faults/") {
            return await faults.handle(request, authenticator: authenticator)
        }
        if let failure = faults.takeRequestFailure() { return failure.response }
        switch path {
        case "/healthz", "/livez", "/readyz", "/healthz/ping", "/livez/ping", "/readyz/ping":
            return .text(200, "ok")
        case "/version", "/version/":
            return Self.json(200, SimDiscovery.version)
        default:
            break
        }
        let user: SimUser
        switch authenticator.authenticate(request) {
        case .failure(let error): return error.response
        case .success(nil): return APIError.unauthorized.response
        case .success(let u?): user = u
        }
        if request.headers["Accept"].map(Self.acceptsOnlyProtobuf) == true {
            return APIError(code: 406, reason: "NotAcceptable", message: "only the following media types are accepted: application/json, application/yaml").response
        }
        let segments = path.split(separator: "/").map { HTTPQuery.decode($0) }
        let query = HTTPQuery(target: request.target)
        switch SimRoute(segments: segments, registry: store.registry) {
        case .coreVersions:
            return Self.json(200, SimDiscovery.apiVersions(request))
        case .groupList:
            return Self.json(200, SimDiscovery.groupList(store.registry))
        case .group(let name):
            guard let g = SimDiscovery.group(name, store.registry) else { return APIError.notFound().response }
            return Self.json(200, g)
        case .resourceList(let group, let version):
            guard let list = SimDiscovery.resourceList(group: group, version: version, store.registry) else {
                return APIError.notFound().response
            }
            return Self.json(200, list)
        case .resource(let target):
            do {
                return try await serveResource(target, request: request, query: query, user: user)
            } catch let error as APIError {
                return error.response
            } catch let error as StoreError {
                return APIError(error, group: target.type.group, resource: target.type.name).response
            } catch {
                return APIError(code: 500, reason: "InternalError", message: "\(error)").response
            }
        case .notFound:
            if path == "/openapi/v3" || path == "/openapi/v3/" {
                return Self.json(200, SimOpenAPI.root(store.registry))
            }
            if path.hasPrefix("/openapi/v3/"), let doc = SimOpenAPI.document(path: String(path.dropFirst("/openapi/v3/".count)), store.registry) {
                return Self.json(200, doc)
            }
            if path == "/openapi/v2" {
                return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/octet-stream"],
                                          body: SimOpenAPI.v2Document(store.registry))
            }
            if path.hasPrefix("/openapi/") {
                return APIError.notFound("the server could not find the requested resource (OpenAPI documents are not served by klient-sim)").response
            }
            return APIError.notFound().response
        }
    }

    static func acceptsOnlyProtobuf(_ accept: String) -> Bool {
        let types = accept.split(separator: ",").map { $0.split(separator: ";")[0].trimmingSpaces().lowercased() }
        return !types.isEmpty && types.allSatisfy { $0 == "application/vnd.kubernetes.protobuf" }
    }

    static func json(_ status: Int, _ value: JSONValue, headers extra: [(String, String)] = []) -> HTTPServerResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Cache-Control": "no-cache, private"]
        for (n, v) in extra { headers.add(name: n, value: v) }
        return HTTPServerResponse(status: status, headers: headers, body: value.encoded())
    }
}
