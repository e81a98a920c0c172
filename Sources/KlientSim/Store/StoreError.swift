/// Why a store operation failed; each case maps to one Kubernetes `Status`
/// (reason and HTTP code) in the API layer.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404 NotFound: `resource` (qualified, e.g. `deployments.apps`) `name` does not exist.
    case notFound(resource: String, name: String)
    /// 409 AlreadyExists.
    case alreadyExists(resource: String, name: String)
    /// 409 Conflict: stale resourceVersion or failed precondition.
    case conflict(resource: String, name: String, message: String)
    /// 422 Invalid, with `field: message` causes.
    case invalid(kind: String, name: String, causes: [FieldCause])
    /// 400 BadRequest.
    case badRequest(String)
    /// 410 Expired: a watch or continue token asked for history the store no longer has.
    case expired(String)
    /// 405 MethodNotAllowed.
    case methodNotAllowed(String)

    /// One invalid field.
    public struct FieldCause: Sendable, Equatable {
        /// `FieldValueRequired`, `FieldValueInvalid`, ...
        public var reason: String
        public var field: String
        public var message: String
        public init(reason: String = "FieldValueInvalid", field: String, message: String) {
            self.reason = reason
            self.field = field
            self.message = message
        }
    }

    public var description: String {
        switch self {
        case .notFound(let r, let n): return "\(r) \"\(n)\" not found"
        case .alreadyExists(let r, let n): return "\(r) \"\(n)\" already exists"
        case .conflict(let r, let n, let m): return "Operation cannot be fulfilled on \(r) \"\(n)\": \(m)"
        case .invalid(let k, let n, let causes):
            let list = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
            return "\(k) \"\(n)\" is invalid: \(causes.count == 1 ? list : "[\(list)]")"
        case .badRequest(let m), .expired(let m), .methodNotAllowed(let m): return m
        }
    }
}
