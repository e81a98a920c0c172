import Klient
import KlientRPC

/// Which failures need the user (a forward shows `failed` and `forward.add`
/// answers with an error) and which are retried quietly (`backoff`).
enum ForwardFailure {
    /// The RPC error reason for a failure retrying will not fix soon, or nil.
    static func code(of error: any Error) -> RPCErrorReason? {
        if let api = error as? APIError {
            switch api.reason {
            case .forbidden: return .forbidden
            case .unauthorized: return .unauthorized
            case .notFound: return .notFound
            default: return nil
            }
        }
        if let target = error as? PortForwardTargetError, target.kind != .noReadyPod { return .invalid }
        return nil
    }
}
