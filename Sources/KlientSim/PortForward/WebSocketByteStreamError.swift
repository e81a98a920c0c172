import KlientHTTP

/// Why a ``WebSocketByteStream`` could not deliver bytes.
public enum WebSocketByteStreamError: Error, Sendable, CustomStringConvertible {
    /// The peer sent a TEXT message; the tunnel carries BINARY only.
    case textMessage
    /// The WebSocket ended other than by a Close with code 1000.
    case abnormalClose(WebSocket.CloseReason?)

    public var description: String {
        switch self {
        case .textMessage:
            "the peer sent a TEXT message on a byte-stream WebSocket; only BINARY messages may carry the stream"
        case .abnormalClose(let reason):
            "the WebSocket ended abnormally (\(reason.map { "\($0)" } ?? "unknown reason")); the byte stream is truncated"
        }
    }
}
