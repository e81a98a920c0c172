import KlientIO
import KlientRPC
import KlientWire
import Synchronization

/// One klientctl (or other client) connection: reads request lines, answers
/// each in order, and writes event notifications between answers. A bad line
/// gets an error reply and the connection carries on; a line over the limit
/// gets one error and the connection is closed (its framing is lost).
///
/// The socket is read with recvmsg, so descriptors a client sends
/// (SCM_RIGHTS, with `exec.start`) are queued here until a method takes them.
public final class ControlConnection: Sendable {
    let socket: Socket
    let peerPID: Int32
    private let writeLock = AsyncLock()
    /// Set by a successful `daemon.hello`; other methods wait for it.
    private let greeted = Mutex(false)
    private let eventTask = Mutex<Task<Void, Never>?>(nil)
    /// Descriptor sets received and not yet taken, oldest first.
    private let descriptors = Mutex<[ReceivedDescriptors]>([])
    /// Run once when the connection closes (sessions it owns end then).
    private let closeHandlers = Mutex<[@Sendable () -> Void]?>([])

    /// Descriptor sets held per connection; beyond this the oldest is closed.
    static let maxQueuedDescriptorSets = 4
    /// Descriptors accepted with one message; more are cut by the kernel (and
    /// the set is marked truncated).
    static let maxDescriptorsPerMessage = 8

    /// Descriptors that arrived with one recvmsg.
    public struct ReceivedDescriptors: Sendable {
        public let descriptors: OwnedFileDescriptors
        /// The kernel dropped some (more than ``maxDescriptorsPerMessage`` were sent).
        public let truncated: Bool
    }

    init(socket: Socket, peerPID: Int32) {
        self.socket = socket
        self.peerPID = peerPID
    }

    /// Sends one message (whole line) unless the connection is gone.
    public func send(_ message: RPCMessage) async {
        let line = RPCCodec.encode(message)
        _ = try? await writeLock.withLock { try await self.socket.write(line) }
    }

    /// Streams `events` to this client as `event` notifications until it disconnects.
    public func forward(_ events: AsyncStream<DaemonEvent>) {
        let task = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                await self.send(.notification(RPCNotification(method: RPCMethod.event, params: event.json)))
            }
        }
        let previous = eventTask.withLock { slot in
            defer { slot = task }
            return slot
        }
        previous?.cancel()
    }

    /// The oldest descriptor set received on this connection and not yet
    /// taken; nil when none is queued.
    public func takeDescriptors() -> ReceivedDescriptors? {
        descriptors.withLock { queue in queue.isEmpty ? nil : queue.removeFirst() }
    }

    /// Runs `handler` when the connection closes (at once if it has closed).
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let closed = closeHandlers.withLock { handlers -> Bool in
            guard handlers != nil else { return true }
            handlers!.append(handler)
            return false
        }
        if closed { handler() }
    }

    /// Serves requests until the client disconnects or sends a line over the limit.
    func serve(router: RPCRouter, readSize: Int = 64 * 1024) async {
        var lines = JSONLineDecoder(maxLineLength: RPCProtocol.maxLineLength)
        let context = RPCCallContext(peerPID: peerPID, connection: self)
        defer { close() }
        while !Task.isCancelled {
            while true {
                let line: [UInt8]
                do {
                    guard let next = try lines.next() else { break }
                    line = next
                } catch {
                    await send(.response(RPCDecodeFailure.lineTooLong.response))
                    await closeGracefully()
                    return
                }
                await handle(line, router: router, context: context)
            }
            guard let message = try? await socket.receiveFileDescriptors(maxBytes: readSize,
                                                                         maxDescriptors: Self.maxDescriptorsPerMessage),
                  !message.bytes.isEmpty else {
                return // EOF (a half-sent last line is discarded) or a broken connection
            }
            if !message.fileDescriptors.isEmpty || message.descriptorsTruncated {
                let set = ReceivedDescriptors(descriptors: message.fileDescriptors, truncated: message.descriptorsTruncated)
                descriptors.withLock { queue in
                    queue.append(set)
                    if queue.count > Self.maxQueuedDescriptorSets { queue.removeFirst() } // closes it
                }
            }
            lines.append(message.bytes)
        }
    }

    private func handle(_ line: [UInt8], router: RPCRouter, context: RPCCallContext) async {
        switch RPCCodec.decode(line) {
        case .failure(let failure):
            await send(.response(RPCResponse(id: failure.id, result: .failure(failure.error))))
        case .success(.request(let request)):
            let result: Result<JSONValue, RPCError>
            if router.isStopping {
                result = .failure(.application(.shuttingDown, "klientd is shutting down"))
            } else if request.method != RPCMethod.hello, router.handles(request.method), !greeted.withLock({ $0 }) {
                result = .failure(.application(.invalid, "call daemon.hello first"))
            } else if router.runsConcurrently(request.method) {
                Task {
                    let result = await router.dispatch(request, context: context)
                    if request.id != nil { await self.send(.response(RPCResponse(id: request.id, result: result))) }
                }
                return
            } else {
                result = await router.dispatch(request, context: context)
                if request.method == RPCMethod.hello, case .success = result { greeted.withLock { $0 = true } }
            }
            if request.id != nil { await send(.response(RPCResponse(id: request.id, result: result))) }
        case .success(.notification):
            break // klientd defines no client notifications; JSON-RPC says they get no reply
        case .success(.response):
            await send(.response(RPCResponse(id: nil, result: .failure(.invalidRequest("klientd sends responses; it does not accept them")))))
        }
    }

    /// Ends the connection after a final error: our side is shut down (FIN)
    /// and what the client is still sending is read and dropped for a moment,
    /// so the client reads the error instead of a reset.
    func closeGracefully(drainFor limit: Duration = .seconds(1), maxBytes: Int = 8 << 20) async {
        try? await socket.shutdownWrite()
        let socket = self.socket
        _ = try? await withTimeout(limit, "draining a closed control connection") {
            var drained = 0
            while drained < maxBytes {
                let bytes = try await socket.read(maxBytes: 64 * 1024)
                if bytes.isEmpty { break }
                drained += bytes.count
            }
        }
        close()
    }

    func close() {
        eventTask.withLock { $0 }?.cancel()
        socket.close()
        descriptors.withLock { $0.removeAll() }
        let handlers = closeHandlers.withLock { handlers in
            defer { handlers = nil }
            return handlers ?? []
        }
        for handler in handlers { handler() }
    }
}
