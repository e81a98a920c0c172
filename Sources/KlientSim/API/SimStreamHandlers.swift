import KlientHTTP
import KlientWire

/// The handlers of the streaming pod subresources. The router authenticates,
/// authorizes and resolves the pod, then calls one of these; other parts
/// (Exec/, PortForward/, Runtime/) supply them. The defaults answer 501.
public struct SimStreamHandlers: Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest, PodContext) async -> HTTPServerResponse

    /// `pods/{name}/exec` (GET WebSocket, POST SPDY).
    public var exec: Handler
    /// `pods/{name}/attach`.
    public var attach: Handler
    /// `pods/{name}/portforward`.
    public var portForward: Handler
    /// `pods/{name}/log`.
    public var log: Handler

    public init(exec: Handler? = nil, attach: Handler? = nil, portForward: Handler? = nil, log: Handler? = nil) {
        self.exec = exec ?? Self.notImplemented("exec")
        self.attach = attach ?? Self.notImplemented("attach")
        self.portForward = portForward ?? Self.notImplemented("portforward")
        self.log = log ?? Self.notImplemented("log")
    }

    /// A handler answering 501 with a Status naming the subresource.
    public static func notImplemented(_ subresource: String) -> Handler {
        { _, pod in
            APIError(code: 501, reason: "NotImplemented",
                     message: "pods/\(subresource) is not implemented yet (pod \(pod.namespace)/\(pod.name))").response
        }
    }
}
