import Foundation
import KlientIO
import KlientRPC
import KlientWire
import Synchronization

/// A stand-in for klientd: a Unix socket that answers JSON-RPC lines with
/// canned results, for testing klientctl without the daemon.
final class FakeDaemon: Sendable {
    /// The answer to one request: a result, an error, or (nil) no answer at all.
    typealias Handler = @Sendable (RPCRequest, FakeDaemon.Peer) async -> Result<JSONValue, RPCError>?

    /// One client connection, for pushing notifications.
    struct Peer: Sendable {
        let socket: Socket
        let writeLock: AsyncLock

        func send(_ message: RPCMessage) async throws {
            try await writeLock.withLock { try await socket.write(RPCCodec.encode(message)) }
        }

        func notify(_ method: String, _ params: JSONValue) async throws {
            try await send(.notification(RPCNotification(method: method, params: params)))
        }

        /// Ends the connection (as a stopping daemon would).
        func close() { socket.close() }
    }

    let path: String
    private let listener: Listener
    private final class Recorder: Sendable {
        let requests = Mutex<[RPCRequest]>([])
    }
    private let received = Recorder()
    private let server = Mutex<Task<Void, Never>?>(nil)

    /// The requests received so far, in order.
    var requests: [RPCRequest] { received.requests.withLock { $0 } }

    /// - Parameter afterReply: runs after each answer is written (e.g. to push events after `events.subscribe`).
    init(handler: @escaping Handler, afterReply: (@Sendable (RPCRequest, Peer) async -> Void)? = nil) throws {
        path = "/tmp/kctl-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        listener = try Listener.bind(to: try SocketAddress.unix(path: path))
        let listener = self.listener
        let received = self.received
        let task = Task {
            while let socket = try? await listener.accept() {
                Task { await Self.serve(socket, handler: handler, afterReply: afterReply, received: received) }
            }
        }
        server.withLock { $0 = task }
    }

    deinit { close() }

    func close() {
        listener.close()
        server.withLock { $0?.cancel() }
    }

    private static func serve(_ socket: Socket, handler: @escaping Handler,
                              afterReply: (@Sendable (RPCRequest, Peer) async -> Void)?,
                              received: Recorder) async {
        let peer = Peer(socket: socket, writeLock: AsyncLock())
        var buffer: [UInt8] = []
        defer { socket.close() }
        while true {
            guard let bytes = try? await socket.read(maxBytes: 65_536), !bytes.isEmpty else { return }
            buffer += bytes
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                guard case .success(let message) = RPCCodec.decode(line), let request = message.asRequest else { continue }
                received.requests.withLock { $0.append(request) }
                guard let id = request.id, let answer = await handler(request, peer) else { continue }
                try? await peer.send(.response(RPCResponse(id: id, result: answer)))
                await afterReply?(request, peer)
            }
        }
    }

    // MARK: Canned klientd

    static let hello = HelloResult(protocolVersion: RPCProtocol.version, daemonVersion: "0.1.0", pid: 4242)

    static let status = DaemonStatus(
        daemonVersion: "0.1.0", protocolVersion: RPCProtocol.version, pid: 4242, startedAt: "2026-11-22T13:07:43Z",
        uptimeSeconds: 7_300, socket: "/run/user/1000/klient/klientd.sock", socketActivated: false,
        stateDirectory: "/home/u/.local/state/klient", kubeconfig: ["/home/u/.kube/config"], contexts: ["kind-dev"],
        currentContext: "kind-dev", sessions: 1, forwards: 1, connections: 1, clients: 1, summary: "1 session, ready")

    static let session = SessionInfo(
        id: "s-1", kind: "forward", context: "kind-dev", namespace: "shop", target: "svc/postgres 5432:5432",
        state: "ready", startedAt: "2026-11-22T15:02:43Z", clientPID: 4242, bytesIn: 2048, bytesOut: 100)

    /// A ready forward with a name, resolved pod ports and some traffic.
    static let forward = ForwardInfo(
        id: "f-1", name: "web", context: "klient-sim", namespace: "default", target: "svc/web", mode: "auto",
        activeMode: "tunnel", persist: true, pool: 2, state: "ready", pod: "web-7d9c5b-x2k4q",
        listeners: [ForwardListener(address: "127.0.0.1", port: 40123, remotePort: .number(80), podPort: 8080),
                    ForwardListener(address: "::1", port: 40123, remotePort: .number(80), podPort: 8080)],
        activeConnections: 2, totalConnections: 118, bytesIn: 1_843_201, bytesOut: 20_480, reconnects: 1,
        lastError: "pod web-7d9c5b-m8n2c was deleted", createdAt: "2026-11-22T15:00:00Z")

    /// A forward backing off, without a name.
    static let slowForward = ForwardInfo(
        id: "f-2", context: "prod", namespace: "shop", target: "sts/db", mode: "channel", persist: false, pool: 4,
        state: "backoff", reason: "API server unreachable; retrying in 4s",
        listeners: [ForwardListener(address: "127.0.0.1", port: 5432, remotePort: .name("postgres"))],
        totalConnections: 7, reconnects: 3, lastError: "dial tcp 10.0.0.7:443: connection refused",
        createdAt: "2026-11-22T15:05:00Z")

    /// What the fake daemon answers to `forward.add`: the forward as asked,
    /// `f-3`, connecting, free ports bound to 40123.
    static func added(_ params: ForwardAddParams) -> ForwardInfo {
        var listeners: [ForwardListener] = []
        for port in params.ports {
            for address in params.addresses ?? ForwardAddParams.defaultAddresses {
                listeners.append(ForwardListener(address: address, port: port.local ?? 40123, remotePort: port.remote))
            }
        }
        return ForwardInfo(id: "f-3", name: params.name, context: params.context ?? "klient-sim",
                           namespace: params.namespace ?? "default", target: params.target, mode: params.mode,
                           persist: params.persist, pool: params.pool ?? ForwardAddParams.defaultPool, state: "connecting",
                           listeners: listeners, createdAt: "2026-11-22T15:07:43Z")
    }

    static func forwardAnswer(_ request: RPCRequest) -> Result<JSONValue, RPCError> {
        switch request.method {
        case RPCMethod.forwardAdd:
            let params: ForwardAddParams
            do { params = try ForwardAddParams(params: request.params) } catch { return .failure(error) }
            if params.context == "readonly" {
                return .failure(.application(.forbidden, "pods \"web-7d9c5b-x2k4q\" is forbidden: User \"viewer\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace \"default\""))
            }
            if params.ports.contains(where: { $0.local == 40123 }) {
                return .failure(.application(.conflict, "local port 127.0.0.1:40123 is already in use (forward f-1 \"web\")",
                                             details: ["address": "127.0.0.1", "port": 40123]))
            }
            return .success(added(params).json)
        case RPCMethod.forwardList:
            return .success(ForwardListResult(forwards: [forward, slowForward]).json)
        case RPCMethod.forwardRemove:
            let params: ForwardRemoveParams
            do { params = try ForwardRemoveParams(params: request.params) } catch { return .failure(error) }
            switch (params.ref, params.all) {
            case (nil, true): return .success(ForwardRemoveResult(removed: ["f-1", "f-2"]).json)
            case ("f-1"?, false), ("web"?, false): return .success(ForwardRemoveResult(removed: ["f-1"]).json)
            case (let ref?, false):
                return .failure(.application(.notFound, "no forward with id or name \"\(ref)\"", details: ["ref": .string(ref)]))
            default: return .failure(.application(.invalid, "give either \"ref\" or \"all\""))
            }
        case RPCMethod.forwardWait:
            let params: ForwardWaitParams
            do { params = try ForwardWaitParams(params: request.params) } catch { return .failure(error) }
            switch params.ref {
            case "f-1", "web": return .success(forward.json)
            case "f-2": return .failure(.forwardNotReady(slowForward, seconds: params.timeout ?? 30))
            case "terse":
                // A daemon whose message leaves the state to data.
                return .failure(.application(.timeout, "timed out", details: ["state": "connecting", "stateReason": "no Ready pod"]))
            default:
                return .failure(.application(.notFound, "no forward with id or name \"\(params.ref)\"", details: ["ref": .string(params.ref)]))
            }
        default:
            return .failure(.methodNotFound(request.method))
        }
    }

    /// A daemon answering hello, status, session.list (one session),
    /// session.stop (only "s-1"), config.reload, events.subscribe and
    /// forward.* (see ``forwardAnswer(_:)``);
    /// `overrides` replace answers by method.
    static func canned(_ overrides: [String: Result<JSONValue, RPCError>] = [:],
                       onSubscribe: (@Sendable (Peer) async -> Void)? = nil) throws -> FakeDaemon {
        try FakeDaemon(handler: { request, _ in
            if let override = overrides[request.method] { return override }
            switch request.method {
            case RPCMethod.hello:
                return .success(hello.json)
            case RPCMethod.status:
                return .success(status.json)
            case RPCMethod.sessionList:
                let kind = request.params?["kind"]?.stringValue
                let sessions = kind == nil || kind == session.kind ? [session] : []
                return .success(SessionListResult(sessions: sessions).json)
            case RPCMethod.sessionStop:
                let id = request.params?["id"]?.stringValue ?? ""
                guard id == session.id else {
                    return .failure(.application(.notFound, "no session \"\(id)\""))
                }
                return .success(SessionStopResult(id: id, stopped: true).json)
            case RPCMethod.configReload:
                return .success(ConfigReloadResult(contexts: ["a", "b"], currentContext: "a", kubeconfig: ["/k"]).json)
            case RPCMethod.eventsSubscribe:
                return .success(EventsSubscribeResult(subscribed: true).json)
            case RPCMethod.forwardAdd, RPCMethod.forwardList, RPCMethod.forwardRemove, RPCMethod.forwardWait:
                return forwardAnswer(request)
            default:
                return .failure(.methodNotFound(request.method))
            }
        }, afterReply: { request, peer in
            if request.method == RPCMethod.eventsSubscribe { await onSubscribe?(peer) }
        })
    }
}
