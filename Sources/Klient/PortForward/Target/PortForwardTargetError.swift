/// Why a port-forward target cannot be forwarded to right now. Each message
/// says what is wrong and what to check.
public struct PortForwardTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The Service or workload selects no pods (no selector, or an empty one).
        case noSelector
        /// No pod is Running and Ready.
        case noReadyPod
        /// A requested port is not one the Service or pod declares.
        case unknownPort
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
