import KlientRPC
import KlientWire
import Synchronization

/// What a method handler knows about its caller.
public struct RPCCallContext: Sendable {
    /// The client process (SO_PEERCRED).
    public let peerPID: Int32
    /// The caller's connection: for methods that stream notifications back.
    public let connection: ControlConnection
}

/// Method name → handler. klientd registers the daemon and session methods;
/// the forward and exec issues register theirs the same way.
public final class RPCRouter: Sendable {
    public typealias Handler = @Sendable (_ params: JSONValue?, _ context: RPCCallContext) async throws -> JSONValue

    private let handlers = Mutex<[String: Handler]>([:])
    private let concurrentMethods = Mutex<Set<String>>([])
    private let stopping = Mutex(false)

    /// Whether `method` is registered.
    public func handles(_ method: String) -> Bool { handlers.withLock { $0[method] != nil } }

    /// After this, requests are answered with `ShuttingDown`.
    public func beginStopping() { stopping.withLock { $0 = true } }
    public var isStopping: Bool { stopping.withLock { $0 } }

    public init() {}

    /// - Parameter concurrent: answer this method in its own task, so the
    ///   connection goes on reading and serving later requests meanwhile (for
    ///   calls that wait, like `exec.wait`); others are served in order.
    public func register(_ method: String, concurrent: Bool = false, _ handler: @escaping Handler) {
        handlers.withLock { $0[method] = handler }
        concurrentMethods.withLock { if concurrent { $0.insert(method) } else { $0.remove(method) } }
    }

    /// Whether `method` was registered as concurrent.
    public func runsConcurrently(_ method: String) -> Bool { concurrentMethods.withLock { $0.contains(method) } }

    public var methods: [String] { handlers.withLock { $0.keys.sorted() } }

    /// Runs the request's handler. Errors become JSON-RPC errors: an
    /// `RPCError` as thrown, anything else as an internal error carrying
    /// its description (handlers must not put secrets in errors).
    public func dispatch(_ request: RPCRequest, context: RPCCallContext) async -> Result<JSONValue, RPCError> {
        guard let handler = handlers.withLock({ $0[request.method] }) else {
            return .failure(.methodNotFound(request.method))
        }
        do {
            return .success(try await handler(request.params, context))
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            return .failure(.internalError("\(error)"))
        }
    }
}
