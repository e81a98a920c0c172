/// Why a port-forward connection, tunnel or tunnel stream failed.
///
/// Refusals of the upgrade itself (401, 403, 404, …) are ``APIError``s carrying
/// the server's Status; these cases cover what happens around and after it.
public enum PortForwardError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The kubelet reported an error for `port` on the error channel (channel
    /// mode) or error stream (tunnel), e.g. `error forwarding port 80 to pod
    /// web-0, uid …: dial tcp4 127.0.0.1:80: connect: connection refused`.
    case remote(port: UInt16, message: String)
    /// The server refused the SPDY tunnel (KEP-4006) other than with
    /// 401/403/404, or chose another subprotocol: it is older than 1.31 or
    /// has the `PortForwardWebsockets` gate off. Fall back to channel mode.
    case tunnelUnsupported(String)
    /// The server broke the protocol: a wrong port announcement, an unknown
    /// channel, a TEXT message, malformed SPDY, …
    case protocolViolation(String)
    /// The server reset the stream of `port` (SPDY RST_STREAM with `status`).
    case streamReset(port: UInt16, status: String)
    /// The connection or tunnel has ended; the text says why.
    case closed(String)

    public var description: String {
        switch self {
        case .remote(let port, let message):
            "port-forward to port \(port) failed on the pod's side: \(message)"
        case .tunnelUnsupported(let why):
            "the API server does not support the port-forward tunnel (SPDY over WebSocket, Kubernetes ≥ 1.31): \(why); "
                + "use channel mode"
        case .protocolViolation(let what):
            "port-forward protocol violation by the server: \(what)"
        case .streamReset(let port, let status):
            "the server reset the port-forward stream of port \(port) (\(status))"
        case .closed(let why):
            "the port-forward connection is closed: \(why)"
        }
    }
}
