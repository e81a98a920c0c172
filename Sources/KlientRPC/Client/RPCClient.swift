import KlientIO
import KlientWire

/// A connection to klientd's control socket, used by klientctl and tests.
///
/// Calls may run concurrently: each gets its own id and responses are
/// matched by id, in whatever order they come. One reader task per
/// connection reads lines (limit ``RPCProtocol/maxLineLength``), resumes
/// the waiting callers and passes server notifications to
/// ``notifications``. When the connection ends every pending and later
/// call fails with ``RPCClientError`` (e.g. ``RPCClientError/connectionClosed``,
/// "klientd closed the connection").
///
/// Dropping the client closes the connection.
public final class RPCClient: Sendable {
    /// Undelivered notifications held for a slow ``notifications`` reader;
    /// beyond this the oldest are dropped, so memory stays bounded.
    public static let notificationBufferLimit = 4096

    private let core: RPCConnectionCore

    /// Server notifications (klientd's `event`s after `events.subscribe`).
    /// Single consumer; finishes when the connection ends.
    public let notifications: AsyncStream<RPCNotification>

    private init(socket: Socket) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: RPCNotification.self, bufferingPolicy: .bufferingNewest(Self.notificationBufferLimit))
        notifications = stream
        let core = RPCConnectionCore(socket: socket, notifications: continuation)
        self.core = core
        Task { await core.readLoop() }
    }

    deinit {
        core.shutdown(with: RPCClientError.clientClosed)
    }

    /// Connects to the Unix socket at `path`. Does not send `daemon.hello`;
    /// see ``hello(client:)``.
    /// - Throws: `IOError` when the socket is absent (`ENOENT`) or nobody
    ///   listens (`ECONNREFUSED`), or permission is denied;
    ///   `SocketAddress.ParseError` for a path over 107 bytes.
    public static func connect(path: String) async throws -> RPCClient {
        let socket = try await Socket.connect(to: try SocketAddress.unix(path: path))
        return RPCClient(socket: socket)
    }

    /// Wraps an already connected socket (e.g. one end of a socket pair).
    public static func wrapping(_ socket: Socket) -> RPCClient {
        RPCClient(socket: socket)
    }

    /// Calls `method` and waits for its result.
    /// - Throws: ``RPCError`` when klientd answers with an error;
    ///   ``RPCClientError`` when the connection ends first or the request
    ///   is too large; `CancellationError` (the request may still run).
    public func call(_ method: String, params: JSONValue? = nil) async throws -> JSONValue {
        try await call(method, params: params, descriptors: [])
    }

    /// Calls `method`, sending `descriptors` with the request line
    /// (SCM_RIGHTS; `exec.start` sends stdin, stdout and stderr so). The
    /// caller keeps its own copies.
    /// - Throws: as ``call(_:params:)``.
    public func call(_ method: String, params: JSONValue?, descriptors: [Int32]) async throws -> JSONValue {
        let id = try core.register()
        let line = RPCCodec.encode(.request(RPCRequest(id: id, method: method, params: params)))
        guard line.count - 1 <= RPCProtocol.maxLineLength else {
            core.unregister(id)
            throw RPCClientError.requestTooLarge(bytes: line.count - 1, limit: RPCProtocol.maxLineLength)
        }
        do {
            try await core.send(line, descriptors: descriptors)
        } catch {
            core.unregister(id)
            throw error
        }
        return try await core.response(to: id)
    }

    /// Calls `method` and decodes its result as `Result`.
    /// - Throws: as ``call(_:params:)``, and ``RPCClientError/invalidResult(method:detail:)``
    ///   when the result does not decode.
    public func call<Result: RPCPayload>(_ method: String, params: JSONValue?, as: Result.Type) async throws -> Result {
        let value = try await call(method, params: params)
        do {
            return try Result(json: value)
        } catch {
            let prefix = "invalid params: "
            let detail = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
            throw RPCClientError.invalidResult(method: method, detail: detail)
        }
    }

    /// Calls `method` with typed params and decodes its result.
    public func call<Params: RPCPayload, Result: RPCPayload>(
        _ method: String, params: Params, as: Result.Type
    ) async throws -> Result {
        try await call(method, params: params.json, as: Result.self)
    }

    /// Sends a notification (no id, no reply).
    /// - Throws: ``RPCClientError`` when the connection has ended or the
    ///   message is too large.
    public func notify(_ method: String, params: JSONValue? = nil) async throws {
        let line = RPCCodec.encode(.notification(RPCNotification(method: method, params: params)))
        guard line.count - 1 <= RPCProtocol.maxLineLength else {
            throw RPCClientError.requestTooLarge(bytes: line.count - 1, limit: RPCProtocol.maxLineLength)
        }
        try await core.send(line)
    }

    /// The `daemon.hello` handshake with this build's ``RPCProtocol/version``.
    /// - Throws: ``RPCError`` with reason ``RPCErrorReason/unsupportedVersion``
    ///   when klientd speaks another version; as ``call(_:params:)``.
    public func hello(client: String) async throws -> HelloResult {
        try await call(RPCMethod.hello, params: HelloParams(protocolVersion: RPCProtocol.version, client: client),
                       as: HelloResult.self)
    }

    /// Closes the connection: pending calls fail with
    /// ``RPCClientError/clientClosed`` and ``notifications`` finishes. Idempotent.
    public func close() {
        core.shutdown(with: RPCClientError.clientClosed)
    }
}
