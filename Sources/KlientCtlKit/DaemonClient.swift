import KlientIO
import KlientRPC
import KlientWire

/// A connection to klientd after a successful `daemon.hello`: every call has
/// a time limit, and errors come out as the types ``ErrorReport`` knows.
public struct DaemonClient: Sendable {
    /// The underlying RPC connection (for notifications).
    public let rpc: RPCClient
    /// klientd's answer to `daemon.hello`.
    public let hello: HelloResult
    /// How long one call may take.
    public let timeout: Duration
    /// The socket, for reconnecting to the next klientd after a restart.
    public let path: String

    /// What klientctl sends as `client` in `daemon.hello`.
    public static let clientName = "klientctl \(RPCProtocol.softwareVersion)"

    /// Connects to `path` and says hello, checking the protocol version.
    /// - Throws: ``DaemonConnectionError`` (unreachable, bad path, version
    ///   mismatch, no answer in time); `RPCError` / `RPCClientError` from klientd.
    ///
    /// A klientd that is stopping answers `ShuttingDown` without doing
    /// anything; under socket activation the next connection reaches its
    /// successor, so that answer is retried (for up to `timeout`) rather
    /// than reported: a `systemctl --user restart klientd` fails no call.
    public static func connect(path: String, timeout: Duration) async throws -> DaemonClient {
        let deadline = ContinuousClock.now + timeout
        var stopping: RPCError?
        while true {
            do {
                return try await connectOnce(path: path, timeout: stopping == nil ? timeout : deadline - .now)
            } catch let error as RPCError where error.reason == .shuttingDown {
                guard ContinuousClock.now < deadline else { throw error }
                stopping = error
                try await Task.sleep(for: .milliseconds(100))
            } catch let error as DaemonConnectionError {
                // Out of time while retrying: the daemon was stopping, say that.
                if let stopping, case .noAnswer = error { throw stopping }
                throw error
            }
        }
    }

    private static func connectOnce(path: String, timeout: Duration) async throws -> DaemonClient {
        let rpc: RPCClient
        do {
            rpc = try await RPCClient.connect(path: path)
        } catch let error as IOError {
            throw DaemonConnectionError.unreachable(path: path, error)
        } catch let error as SocketAddress.ParseError {
            throw DaemonConnectionError.invalidPath(path: path, reason: error.reason)
        }
        do {
            let hello = try await limited(RPCMethod.hello, timeout) { try await rpc.hello(client: clientName) }
            guard hello.protocolVersion == RPCProtocol.version else {
                throw DaemonConnectionError.versionMismatch(daemon: hello.protocolVersion, client: RPCProtocol.version, detail: nil)
            }
            return DaemonClient(rpc: rpc, hello: hello, timeout: timeout, path: path)
        } catch let error as RPCError where error.reason == .unsupportedVersion {
            rpc.close()
            // data.supported lists the versions klientd serves (Protocol/klientd-rpc.md, daemon.hello).
            let supported = error.data?["supported"]?.arrayValue?.compactMap(\.intValue).map(Int.init) ?? []
            throw DaemonConnectionError.versionMismatch(daemon: supported.max(), client: RPCProtocol.version, detail: error.message)
        } catch {
            rpc.close()
            throw error
        }
    }

    /// Calls `method`; returns klientd's raw result.
    /// - Throws: `RPCError` (klientd's answer), `RPCClientError`,
    ///   ``DaemonConnectionError/noAnswer(method:seconds:)``.
    ///   A `ShuttingDown` answer (klientd did nothing) is retried once on a
    ///   new connection, which socket activation hands to the next klientd.
    public func call(_ method: String, params: JSONValue? = nil) async throws -> JSONValue {
        let rpc = self.rpc
        do {
            return try await Self.limited(method, timeout) { try await rpc.call(method, params: params) }
        } catch let error as RPCError where error.reason == .shuttingDown {
            let next = try await Self.connect(path: path, timeout: timeout)
            defer { next.close() }
            let fresh = next.rpc
            return try await Self.limited(method, timeout) { try await fresh.call(method, params: params) }
        }
    }

    /// Calls `method` with `descriptors` sent beside the request line
    /// (SCM_RIGHTS), as `exec.start` needs; no retry (the request may have
    /// started something). `timeout` replaces the connection's limit.
    /// - Throws: as ``call(_:params:)``.
    public func call(_ method: String, params: JSONValue?, descriptors: [Int32], timeout: Duration? = nil) async throws -> JSONValue {
        let rpc = self.rpc
        return try await Self.limited(method, timeout ?? self.timeout) {
            try await rpc.call(method, params: params, descriptors: descriptors)
        }
    }

    /// Calls `method` and decodes the result, keeping the raw JSON too (for `-o json`).
    /// - Throws: as ``call(_:params:)``, and `RPCClientError.invalidResult` when it does not decode.
    public func call<Result: RPCPayload>(_ method: String, params: JSONValue? = nil,
                                         as type: Result.Type) async throws -> (Result, JSONValue) {
        let raw = try await call(method, params: params)
        do {
            return (try Result(json: raw), raw)
        } catch {
            throw RPCClientError.invalidResult(method: method, detail: error.message)
        }
    }

    /// Closes the connection.
    public func close() { rpc.close() }

    private static func limited<T: Sendable>(_ method: String, _ timeout: Duration,
                                             _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withTimeout(timeout, method, operation: body)
        } catch is TimeoutError {
            throw DaemonConnectionError.noAnswer(method: method, seconds: Int(timeout.components.seconds))
        }
    }
}
