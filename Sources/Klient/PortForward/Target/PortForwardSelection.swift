/// How to find the pods behind a ``PortForwardTarget`` and how to map the
/// requested ports onto a pod: a fixed pod name, or a label selector plus,
/// for a Service, the Service itself (its ports map to target ports).
public struct PortForwardSelection: Sendable {
    public var target: PortForwardTarget
    public var namespace: String
    /// Set for `pod/NAME`.
    public var podName: String?
    /// Set for Services and workloads, in the API's selector syntax.
    public var labelSelector: String?
    /// Set for Services.
    public var service: Service?

    public init(target: PortForwardTarget, namespace: String, podName: String? = nil, labelSelector: String? = nil,
                service: Service? = nil) {
        self.target = target
        self.namespace = namespace
        self.podName = podName
        self.labelSelector = labelSelector
        self.service = service
    }

    /// The list/watch options that return exactly the candidate pods.
    public var watchOptions: WatchOptions {
        if let podName { return WatchOptions(fieldSelector: "metadata.name=\(podName)") }
        return WatchOptions(labelSelector: labelSelector)
    }

    /// The pod port for each requested port on `pod` (see ``PortForwardPortMapper``).
    /// - Throws: ``PortForwardTargetError`` (`.unknownPort`) naming the port.
    public func podPorts(for requested: [IntOrString], on pod: Pod) throws(PortForwardTargetError) -> [UInt16] {
        try requested.map { port throws(PortForwardTargetError) in
            try PortForwardPortMapper.podPort(for: port, service: service, pod: pod)
        }
    }
}
