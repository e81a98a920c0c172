/// What a port-forward points at: one pod, or a Service or workload whose
/// pods are chosen from (kubectl's `pod/NAME`, `svc/NAME`, `deploy/NAME`,
/// `sts/NAME`, `rs/NAME`).
public struct PortForwardTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case pod, service, deployment, statefulSet, replicaSet

        /// The short form kubectl prints and accepts (`svc`, `deploy`, ...).
        public var shortName: String {
            switch self {
            case .pod: "pod"
            case .service: "svc"
            case .deployment: "deploy"
            case .statefulSet: "sts"
            case .replicaSet: "rs"
            }
        }
    }

    public var kind: Kind
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// `svc/web`, `pod/web-0`, ...
    public var description: String { "\(kind.shortName)/\(name)" }
}
