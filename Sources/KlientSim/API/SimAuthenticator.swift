import Foundation
import KlientHTTP
import KlientWire
import Synchronization

/// Who made a request.
public struct SimUser: Sendable, Equatable {
    public var name: String
    public var groups: [String]

    public init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }

    /// Members of `system:masters` may do everything.
    public var isAdmin: Bool { groups.contains("system:masters") }
}

/// Authentication (bearer tokens, client certificates, exec-plugin tokens)
/// and the simulator's two-role authorization: admins may do everything;
/// everyone else may get, list and watch, but never write and never open
/// `pods/exec`, `pods/attach` or `pods/portforward`.
public final class SimAuthenticator: Sendable {
    public static let adminUser = "klient-sim-admin"
    public static let readonlyUser = "klient-sim-readonly"

    public let adminToken: String
    public let readonlyToken: String
    public let execSigner: ExecTokenSigner
    /// Exec tokens issued at or before this instant (ms) are refused.
    private let revokedThrough = Mutex<UInt64>(0)

    public init(adminToken: String, readonlyToken: String, execSigner: ExecTokenSigner) {
        self.adminToken = adminToken
        self.readonlyToken = readonlyToken
        self.execSigner = execSigner
    }

    /// A random token (hex, 32 characters).
    public static func randomToken() -> String { ExecTokenSigner.hex((0..<16).map { _ in UInt8.random(in: 0...255) }) }

    /// The fault "expire all issued tokens": every exec-plugin token issued
    /// so far is refused from now on (clients get 401 and must run the
    /// plugin again). The static admin/readonly tokens keep working.
    public func expireIssuedTokens() {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        revokedThrough.withLock { $0 = max($0, now) }
    }

    /// The user of `request`, nil when anonymous, or an error for a token or
    /// certificate that was presented but is not (or no longer) valid.
    public func authenticate(_ request: HTTPServerRequest, now: Date = Date()) -> Result<SimUser?, APIError> {
        if let auth = request.headers["Authorization"] {
            let parts = auth.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .failure(.unauthorized) }
            let token = parts[1].trimmingSpaces()
            if token == adminToken { return .success(SimUser(name: Self.adminUser, groups: ["system:masters", "system:authenticated"])) }
            if token == readonlyToken { return .success(SimUser(name: Self.readonlyUser, groups: ["system:authenticated"])) }
            guard let claims = execSigner.verify(token) else { return .failure(.unauthorized) }
            guard claims.expiresAt > UInt64(now.timeIntervalSince1970),
                  claims.issuedAtMillis > revokedThrough.withLock({ $0 }) else { return .failure(.unauthorized) }
            return .success(SimUser(name: claims.user, groups: ["system:masters", "system:authenticated"]))
        }
        if let tls = request.tls, let cn = tls.peerCommonName, !cn.isEmpty {
            return .success(SimUser(name: cn, groups: tls.peerOrganizations + ["system:authenticated"]))
        }
        return .success(nil)
    }

    /// nil when `user` may do `verb` on `resource[/subresource]`, else the 403.
    public func authorize(_ user: SimUser, verb: String, group: String, resource: String, subresource: String?,
                          namespace: String?, name: String?) -> APIError? {
        if user.isAdmin { return nil }
        let streaming = resource == "pods" && ["exec", "attach", "portforward", "proxy"].contains(subresource ?? "")
        if ["get", "list", "watch"].contains(verb) && !streaming { return nil }
        let full = subresource.map { "\(resource)/\($0)" } ?? resource
        var message = name.map { "\(resource) \"\($0)\" is forbidden: " } ?? "\(resource) is forbidden: "
        message += "User \"\(user.name)\" cannot \(verb) resource \"\(full)\" in API group \"\(group)\""
        message += namespace.map { " in the namespace \"\($0)\"" } ?? " at the cluster scope"
        var details: JSONValue = ["kind": .string(resource)]
        if let name { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        return APIError(code: 403, reason: "Forbidden", message: message, details: details)
    }
}
