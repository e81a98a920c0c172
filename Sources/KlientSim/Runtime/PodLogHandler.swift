import KlientIO
import KlientHTTP
import KlientWire

/// Serves `GET /api/v1/namespaces/NS/pods/NAME/log` from the runtime's
/// container logs.
///
/// Query (PodLogOptions): `container` (required when the pod has several),
/// `follow`, `previous`, `timestamps`, `tailLines`, `sinceSeconds`,
/// `sinceTime`, `limitBytes`. The body is `text/plain`; with `follow` it is
/// streamed (chunked) until the container instance ends, the byte limit is
/// reached, or a write fails because the client went away.
///
/// Errors are `Status` objects as the API server sends them: 400 BadRequest
/// for a missing or unknown container, a missing previous instance, a
/// container that has not started, and malformed parameters.
///
/// Follow streams register their connection with the ``StreamRegistry`` (when
/// given), so the "drop streaming connections" fault cuts them; they also end
/// when the container's process exits or the pod is deleted.
public struct PodLogHandler: Sendable {
    public let runtime: PodRuntime
    public let registry: StreamRegistry?

    public init(runtime: PodRuntime, registry: StreamRegistry? = nil) {
        self.runtime = runtime
        self.registry = registry
    }

    public func handle(_ request: HTTPServerRequest, pod: PodContext) async -> HTTPServerResponse {
        let query = request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
        let options: PodLogOptions
        do { options = try PodLogOptions(query: query) } catch {
            return Self.status(400, "BadRequest", error.description)
        }
        let names = pod.containerNames
        let container: String
        if let requested = options.container {
            guard names.contains(requested) else {
                return Self.status(400, "BadRequest", "container \(requested) is not valid for pod \(pod.name)")
            }
            container = requested
        } else if names.count == 1 {
            container = names[0]
        } else {
            return Self.status(400, "BadRequest",
                               "a container name must be specified for pod \(pod.name), choose one of: [\(names.joined(separator: " "))]")
        }
        let running = runtime.pod(namespace: pod.namespace, name: pod.name)
        guard let running, running.uid == pod.uid || pod.uid.isEmpty, let logs = running.logs(container: container) else {
            return Self.status(400, "BadRequest",
                               "container \"\(container)\" in pod \"\(pod.name)\" is waiting to start: ContainerCreating")
        }
        let chosen: ContainerLogFile
        if options.previous {
            guard let previous = logs.previous else {
                return Self.status(400, "BadRequest",
                                   "previous terminated container \"\(container)\" in pod \"\(pod.name)\" not found")
            }
            chosen = previous
        } else {
            guard let current = logs.current else {
                return Self.status(400, "BadRequest",
                                   "container \"\(container)\" in pod \"\(pod.name)\" is waiting to start: ContainerCreating")
            }
            chosen = current
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        if !options.follow {
            var renderer = ContainerLogRenderer(options: options)
            let body = renderer.render(chosen.readAll(), tail: options.tailLines)
            return HTTPServerResponse(status: 200, headers: headers, body: body)
        }
        let registry = self.registry
        return HTTPServerResponse(head: HTTPResponseHead(status: 200, headers: headers), body: .stream { writer in
            let token = registry?.register(writer.connection)
            defer { token.map { registry?.unregister($0) } }
            try await Self.follow(chosen, options: options, writer: writer)
        })
    }

    /// Sends what is there (tail/since applied), then each new batch of
    /// records until the instance ends.
    static func follow(_ log: ContainerLogFile, options: PodLogOptions, writer: HTTPBodyWriter) async throws {
        var renderer = ContainerLogRenderer(options: options)
        var progress = log.progress
        var offset = progress.size
        try await writer.write(renderer.render(log.read(from: 0, to: offset), tail: options.tailLines))
        while !renderer.exhausted {
            if progress.size <= offset {
                if progress.finished { return }
                await log.waitForGrowth(beyond: offset)
                try Task.checkCancellation()
                progress = log.progress
                continue
            }
            let bytes = log.read(from: offset, to: progress.size)
            offset = progress.size
            try await writer.write(renderer.render(bytes))
            progress = log.progress
        }
    }

    /// A `Status` failure response.
    static func status(_ code: Int, _ reason: String, _ message: String) -> HTTPServerResponse {
        let body: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
                               "message": .string(message), "reason": .string(reason), "code": .int(Int64(code))]
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPServerResponse(status: code, headers: headers, body: body.encoded())
    }
}
