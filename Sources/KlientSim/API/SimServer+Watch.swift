import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

extension SimServer {
    /// A chunked stream of JSON watch events, one per line. Registered in the
    /// ``StreamRegistry`` so the drop-streams fault can cut it (the
    /// connection is then closed without the final chunk, as when a real API
    /// server goes away); ends cleanly after `timeoutSeconds`.
    func serveWatch(_ target: SimRoute.Target, query: HTTPQuery, request: HTTPServerRequest) throws -> HTTPServerResponse {
        var options = WatchOptions(bookmarkInterval: configuration.bookmarkInterval)
        let list = try listOptions(query)
        options.labelSelector = list.labelSelector
        options.fieldSelector = list.fieldSelector
        if let name = target.name {
            options.fieldSelector.requirements.append(.init(path: ["metadata", "name"], value: name, negated: false))
        }
        options.resourceVersion = query["resourceVersion"]
        options.allowBookmarks = query.bool("allowWatchBookmarks") == true
        options.sendInitialEvents = query.bool("sendInitialEvents") == true
        var requested = configuration.maxWatchDuration
        if let seconds = query.int("timeoutSeconds"), seconds > 0 { requested = min(requested, .seconds(seconds)) }
        let timeout = requested
        let events = try store.watch(target.type, namespace: target.namespace, options: options)
        let type = target.type
        let table = request.headers["Accept"]?.contains("as=Table") == true
        let includeObject = query["includeObject"] ?? "Metadata"
        let streams = self.streams
        let streamFaults = self.streamFaults
        let head = HTTPResponseHead(status: 200, headers: ["Content-Type": "application/json", "Cache-Control": "no-cache, private"])
        return HTTPServerResponse(head: head, body: .stream { writer in
            enum Item: Sendable { case event(WatchEvent), end, dropped }
            let (relay, continuation) = AsyncStream<Item>.makeStream()
            let handle = WatchStreamHandle { continuation.yield(.dropped); continuation.finish() }
            let token = streams.register(handle)
            let pump = Task {
                for await event in events { continuation.yield(.event(event)) }
                continuation.yield(.end)
                continuation.finish()
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                continuation.yield(.end)
                continuation.finish()
            }
            defer {
                streams.unregister(token)
                pump.cancel()
                timer.cancel()
            }
            for await item in relay {
                switch item {
                case .event(var event):
                    if table, event.type != .error, event.type != .bookmark {
                        event.object = SimTable.table(for: event.object, type: type, includeObject: includeObject)
                    }
                    await streamFaults.delayMessage()
                    try await writer.write(event.jsonLine)
                case .end:
                    return
                case .dropped:
                    throw WatchStreamHandle.Dropped()
                }
            }
        })
    }
}

/// Stands for a watch response in the ``StreamRegistry``: closing it ends
/// the watch abruptly. It carries no bytes itself.
final class WatchStreamHandle: ByteStream {
    struct Dropped: Error {}
    private let onClose: Mutex<(@Sendable () -> Void)?>

    init(onClose: @escaping @Sendable () -> Void) { self.onClose = Mutex(onClose) }

    func read(maxBytes: Int) async throws -> [UInt8] { throw Dropped() }
    func write(_ bytes: [UInt8]) async throws { throw Dropped() }
    func shutdownWrite() async throws {}
    func close() {
        let action = onClose.withLock { a in defer { a = nil }; return a }
        action?()
    }
}
