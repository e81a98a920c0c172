import Klient
import KlientIO
import KlientRPC

/// Library and API errors of exec and attach as the RPC errors klientctl
/// shows: the reason decides the exit status, the message says what to do.
enum ExecFailure {
    static func rpcError(_ error: any Error, target: String, namespace: String) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case let error as ExecError:
            let reason: RPCErrorReason = switch error.kind {
            case .podNotFound, .containerNotFound, .commandNotFound: .notFound
            case .containerNotChosen: .invalid
            case .podNotRunning, .closed: .unavailable
            case .forbidden: error.status?.code == 401 ? .unauthorized : .forbidden
            case .protocolViolation: .internalError
            default: reason(ofStatusCode: error.status?.code) ?? .unavailable
            }
            return .application(reason, error.message)
        case let error as APIError:
            let reason = reason(ofStatusCode: error.code) ?? .unavailable
            let message = error.reason == .notFound && !error.message.contains(namespace)
                ? "\(error.message) in namespace \(namespace)" : error.message
            return .application(reason, message.isEmpty ? "\(error)" : message)
        case let error as PortForwardTargetError:
            return .application(error.kind == .noReadyPod ? .unavailable : .invalid, error.message)
        case let error as TimeoutError:
            return .application(.timeout, "\(target) in namespace \(namespace): \(error)")
        default:
            return .application(.unavailable, "\(target) in namespace \(namespace): \(error)")
        }
    }

    private static func reason(ofStatusCode code: Int?) -> RPCErrorReason? {
        switch code {
        case 401?: .unauthorized
        case 403?: .forbidden
        case 404?: .notFound
        case 400?, 422?: .invalid
        default: nil
        }
    }
}
