/// What a forward connects to: a pod, or a workload whose pods are chosen
/// (a Ready pod of a Service's selector, of a Deployment, StatefulSet or
/// ReplicaSet).
///
/// Written as `NAME` (a pod), `pod/NAME`, `svc/NAME` or `service/NAME`,
/// `deploy/NAME` or `deployment/NAME`, `sts/NAME` or `statefulset/NAME`,
/// `rs/NAME` or `replicaset/NAME`; the kind is case-insensitive and plural
/// resource names (`pods/`, `services/`, …) and group-qualified workload kinds
/// (`deployment.apps/`, `statefulsets.v1.apps/`) are accepted too, as kubectl does.
/// ``description`` is the canonical form klientd reports: `pod/web-0`,
/// `svc/web`, `deploy/web`, `sts/db`, `rs/web-5d8f`.
public struct ForwardTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case pod
        case service
        case deployment
        case statefulSet = "statefulset"
        case replicaSet = "replicaset"

        /// The prefix of the canonical form: `pod`, `svc`, `deploy`, `sts`, `rs`.
        public var shortName: String {
            switch self {
            case .pod: "pod"
            case .service: "svc"
            case .deployment: "deploy"
            case .statefulSet: "sts"
            case .replicaSet: "rs"
            }
        }

        /// The API resource (`pods`, `services`, `deployments`, …).
        public var resource: String { rawValue + "s" }

        /// The API group: `""` (core) for pods and services, `"apps"` for the workloads.
        public var group: String {
            switch self {
            case .pod, .service: ""
            case .deployment, .statefulSet, .replicaSet: "apps"
            }
        }

        /// The kind as written in an object (`Pod`, `Service`, `StatefulSet`, …).
        public var kindName: String {
            switch self {
            case .pod: "Pod"
            case .service: "Service"
            case .deployment: "Deployment"
            case .statefulSet: "StatefulSet"
            case .replicaSet: "ReplicaSet"
            }
        }

        /// Every spelling of the kind before `/`, lowercase.
        var spellings: [String] {
            switch self {
            case .pod: ["pod", "pods", "po"]
            case .service: ["svc", "service", "services"]
            case .deployment: ["deploy", "deployment", "deployments"]
            case .statefulSet: ["sts", "statefulset", "statefulsets"]
            case .replicaSet: ["rs", "replicaset", "replicasets"]
            }
        }

        /// A spelling, optionally qualified by its group as kubectl allows
        /// (`deployment.apps`, `deployments.v1.apps`).
        init?(spelling: String) {
            var lower = spelling.lowercased()
            var group: String?
            for suffix in [".v1.apps", ".apps"] where lower.hasSuffix(suffix) {
                lower.removeLast(suffix.count)
                group = "apps"
                break
            }
            guard let kind = Kind.allCases.first(where: { $0.spellings.contains(lower) }),
                  group == nil || group == kind.group else { return nil }
            self = kind
        }
    }

    public var kind: Kind
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// The accepted forms, for error messages and help.
    public static let acceptedForms = "NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME"

    /// Parses a target as typed on klientctl's command line.
    /// - Throws: ``ForwardSyntaxError`` saying what is wrong: an unknown
    ///   kind, a missing name, or a name that is not a valid object name
    ///   (lowercase RFC 1123: letters, digits, `-` and `.`, at most 253 characters).
    public init(parsing text: String) throws(ForwardSyntaxError) {
        guard !text.isEmpty else {
            throw ForwardSyntaxError("the target is empty; use \(Self.acceptedForms)")
        }
        let kind: Kind
        let name: String
        if let slash = text.firstIndex(of: "/") {
            let prefix = String(text[..<slash])
            name = String(text[text.index(after: slash)...])
            guard let known = Kind(spelling: prefix) else {
                throw ForwardSyntaxError(
                    "unknown target kind \"\(prefix)\" in \"\(text)\"; use \(Self.acceptedForms)")
            }
            kind = known
            guard !name.isEmpty else {
                throw ForwardSyntaxError("target \"\(text)\" has no name after \"/\"; use \(Self.acceptedForms)")
            }
            guard !name.contains("/") else {
                throw ForwardSyntaxError("target \"\(text)\" has more than one \"/\"; use \(Self.acceptedForms)")
            }
        } else {
            kind = .pod
            name = text
        }
        if let problem = Self.nameProblem(name) {
            throw ForwardSyntaxError("invalid \(kind.rawValue) name \"\(name)\" in target \"\(text)\": \(problem)")
        }
        self.init(kind: kind, name: name)
    }

    /// `svc/web`: the kind's short name, `/`, the name.
    public var description: String { "\(kind.shortName)/\(name)" }

    /// Why `name` is not a valid object name (RFC 1123 subdomain, as the API
    /// server requires for pods, deployments, …), or nil.
    static func nameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard bytes.count <= 253 else { return "longer than 253 characters" }
        func alphanumeric(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        for b in bytes where !(alphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) {
            if b >= 0x41 && b <= 0x5A { return "names are lowercase" }
            return "names contain only lowercase letters, digits, '-' and '.'"
        }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else {
            return "names start and end with a letter or digit"
        }
        return nil
    }
}
