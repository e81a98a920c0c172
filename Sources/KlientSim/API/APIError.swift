import KlientHTTP
import KlientWire

/// An API failure as a Kubernetes `metav1.Status` with its HTTP code.
public struct APIError: Error, Sendable, Equatable {
    public var code: Int
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`, ...
    public var reason: String
    public var message: String
    /// `details` (name, group, kind, causes, retryAfterSeconds), if any.
    public var details: JSONValue?
    /// Sent as `Retry-After` and `details.retryAfterSeconds` (429, 5xx).
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String, message: String, details: JSONValue? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The reason Kubernetes uses for a bare HTTP code.
    public static func reason(for code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 406: return "NotAcceptable"
        case 409: return "Conflict"
        case 410: return "Expired"
        case 413: return "RequestEntityTooLarge"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 501: return "NotImplemented"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return code >= 500 ? "InternalError" : "BadRequest"
        }
    }

    public static func badRequest(_ message: String) -> APIError { APIError(code: 400, reason: "BadRequest", message: message) }
    public static func notFound(_ message: String = "the server could not find the requested resource") -> APIError {
        APIError(code: 404, reason: "NotFound", message: message, details: .object([:]))
    }
    public static func methodNotAllowed(_ method: String, _ what: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource",
                 details: ["causes": [["reason": "", "message": .string("\(method) is not supported on \(what)")]]])
    }
    public static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json, application/apply-patch+yaml (got \"\(type)\")")
    }
    public static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// The Status of a store failure, for `resource` in `group`.
    public init(_ error: StoreError, group: String, resource: String) {
        func details(_ name: String) -> JSONValue {
            var d: JSONValue = ["name": .string(name), "kind": .string(resource)]
            if !group.isEmpty { d["group"] = .string(group) }
            return d
        }
        switch error {
        case .notFound(let r, let n):
            let nsGroup = r == "namespaces" ? "" : group
            var d: JSONValue = ["name": .string(n), "kind": .string(r.split(separator: ".").first.map(String.init) ?? r)]
            if !nsGroup.isEmpty { d["group"] = .string(nsGroup) }
            self.init(code: 404, reason: "NotFound", message: error.description, details: d)
        case .alreadyExists(_, let n):
            self.init(code: 409, reason: "AlreadyExists", message: error.description, details: details(n))
        case .conflict(_, let n, _):
            self.init(code: 409, reason: "Conflict", message: error.description, details: details(n))
        case .invalid(_, let n, let causes):
            var d = details(n)
            d["causes"] = .array(causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
            self.init(code: 422, reason: "Invalid", message: error.description, details: d)
        case .badRequest(let m):
            self.init(code: 400, reason: "BadRequest", message: m)
        case .expired(let m):
            self.init(code: 410, reason: "Expired", message: m)
        case .methodNotAllowed(let m):
            self.init(code: 405, reason: "MethodNotAllowed", message: m)
        }
    }

    /// The `Status` object.
    public var status: JSONValue {
        var o: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
                            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code))]
        var d = details
        if let retryAfterSeconds {
            if d == nil { d = .object([:]) }
            d?["retryAfterSeconds"] = .int(Int64(retryAfterSeconds))
        }
        if let d { o["details"] = d }
        return o
    }

    /// The HTTP response carrying the Status (with `Retry-After` when set).
    public var response: HTTPServerResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Cache-Control": "no-cache, private"]
        if let retryAfterSeconds { headers.add(name: "Retry-After", value: String(retryAfterSeconds)) }
        if code == 401 { headers.add(name: "WWW-Authenticate", value: "Bearer realm=\"kubernetes-api\"") }
        return HTTPServerResponse(status: code, headers: headers, body: status.encoded())
    }
}
