import KlientHTTP

extension WebSocket.CloseReason {
    /// How a WebSocket ended, in words for ``PortForwardError/closed(_:)`` and ``ExecError`` messages.
    var endDescription: String {
        switch self {
        case .peerClosed(let code, let reason):
            let codeText = code.map { "code \($0.rawValue)" } ?? "no code"
            return "the server closed the WebSocket (\(codeText)\(reason.isEmpty ? "" : ", \"\(reason)\""))"
        case .protocolError(let error):
            return "WebSocket protocol error: \(error)"
        case .peerTimedOut:
            return "nothing received from the server within the inactivity timeout (missed pings)"
        case .closeReplyTimedOut:
            return "the WebSocket was closed by this client"
        case .transportClosed:
            return "the connection dropped without a WebSocket Close"
        }
    }

    /// A Close with code 1000 (or none): the normal end of the stream.
    var isNormalEnd: Bool {
        if case .peerClosed(let code, _) = self { return code == nil || code == .normalClosure }
        return false
    }
}
