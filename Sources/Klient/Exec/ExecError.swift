import KlientWire

/// Why an exec or attach failed, in words a user can act on.
///
/// A struct over an open set of kinds (new kinds may be added): switch on
/// ``kind`` with a `default`. ``message`` says what is wrong and what to do;
/// ``status`` keeps the server's Status when there was one.
public struct ExecError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The pod does not exist in the namespace.
        case podNotFound
        /// The container named in ``ExecOptions/container`` is not in the pod (the message lists its containers).
        case containerNotFound
        /// The pod has several containers, none chosen and no
        /// `kubectl.kubernetes.io/default-container` annotation (the message lists them).
        case containerNotChosen
        /// The pod is not running (pending, completed or failed; the message gives the phase).
        case podNotRunning
        /// RBAC refused the upgrade (the message names the verb and subresource).
        case forbidden
        /// The container runtime could not start the command (the message is the runtime's).
        case commandNotFound
        /// ``ExecSession/closeStdin()`` on a `v4.channel.k8s.io` session, which cannot half-close stdin.
        case stdinCloseUnsupported
        /// The server broke the channel protocol.
        case protocolViolation
        /// The session has ended or was closed; the message says why.
        case closed
        /// A one-shot exec produced more than `maxOutput` bytes on one stream.
        case outputTooLarge
        /// Anything else (the server's message).
        case other
    }

    public var kind: Kind
    public var message: String
    /// The server's Status, when the error came from one.
    public var status: APIStatus?

    public init(_ kind: Kind, _ message: String, status: APIStatus? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
    }

    public var description: String { message }
}

extension ExecError {
    /// What was asked for, for the messages of ``refusal(_:request:pod:)``.
    struct Request: Sendable {
        var namespace: String
        var pod: String
        /// `exec` or `attach`.
        var subresource: String
        var container: String?
    }

    /// True for the runtime's wording of a command that could not be started
    /// (containerd/runc: "OCI runtime exec failed: … executable file not found
    /// in $PATH", "no such file or directory", CRI-O: "…: not found").
    static func isCommandStartFailure(_ message: String) -> Bool {
        let text = message.lowercased()
        return ["executable file not found", "no such file or directory", "failed to exec in container",
                "unable to start container process", "oci runtime exec failed", "command not found"]
            .contains { text.contains($0) }
    }

    /// The containers of a pod object, in spec order.
    static func containerNames(of pod: JSONValue) -> [String] {
        (pod["spec"]?["containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// Maps the API server's refusal of the upgrade (an ``APIError``) to what
    /// the user has to fix. `pod` is the pod object when it could be read
    /// (nil: unknown), used to list containers and give the phase.
    static func refusal(_ error: APIError, request: Request, pod: JSONValue?) -> ExecError {
        let status = error.status
        let target = "pod \(request.pod) in namespace \(request.namespace)"
        let server = error.message
        let action = request.subresource == "attach" ? "attach to" : "exec in"
        switch error.code {
        case 403:
            return ExecError(.forbidden,
                             "forbidden: \(action) \(target) needs RBAC permission to create pods/\(request.subresource) "
                             + "(Kubernetes ≥ 1.35; get pods/\(request.subresource) before); the API server said: \(server)",
                             status: status)
        case 404 where pod == nil && !server.contains("container"):
            return ExecError(.podNotFound, "pod \(request.pod) not found in namespace \(request.namespace)", status: status)
        default:
            break
        }
        if let pod {
            let names = containerNames(of: pod)
            let listed = names.joined(separator: ", ")
            if let container = request.container, !names.contains(container) {
                return ExecError(.containerNotFound,
                                 "container \(container) not found in \(target); its containers: \(listed)", status: status)
            }
            if request.container == nil && names.count > 1 && server.contains("container name must be specified") {
                return ExecError(.containerNotChosen,
                                 "pod \(request.pod) has \(names.count) containers (\(listed)): choose one with -c "
                                 + "(ExecOptions.container), or annotate the pod with kubectl.kubernetes.io/default-container",
                                 status: status)
            }
            let phase = pod["status"]?["phase"]?.stringValue ?? "Unknown"
            if phase != "Running" {
                return ExecError(.podNotRunning, "\(target) is not running (phase \(phase)); the API server said: \(server)",
                                 status: status)
            }
        } else if server.contains("container name must be specified") {
            return ExecError(.containerNotChosen, "\(server): choose one with -c (ExecOptions.container)", status: status)
        }
        if server.contains("completed pod") || server.contains("does not have a host assigned") {
            return ExecError(.podNotRunning, "\(target) is not running: \(server)", status: status)
        }
        if isCommandStartFailure(server) {
            return ExecError(.commandNotFound, "the command could not be started in the container: \(server)", status: status)
        }
        return ExecError(.other, "\(action) \(target) was refused (HTTP \(error.code)): \(server)", status: status)
    }

    /// The container to use when none was given: the annotation
    /// `kubectl.kubernetes.io/default-container` if it names a container of
    /// the pod, else the only container.
    /// - Throws: ``Kind/containerNotChosen`` for several containers without
    ///   a usable annotation; ``Kind/containerNotFound`` for none.
    static func defaultContainer(of pod: JSONValue, podName: String) throws(ExecError) -> String {
        let names = containerNames(of: pod)
        if let annotated = pod["metadata"]?["annotations"]?["kubectl.kubernetes.io/default-container"]?.stringValue,
           names.contains(annotated) {
            return annotated
        }
        if names.count == 1 { return names[0] }
        if names.isEmpty { throw ExecError(.containerNotFound, "pod \(podName) has no containers") }
        throw ExecError(.containerNotChosen,
                        "pod \(podName) has \(names.count) containers (\(names.joined(separator: ", "))): choose one with -c "
                        + "(ExecOptions.container), or annotate the pod with kubectl.kubernetes.io/default-container")
    }
}
