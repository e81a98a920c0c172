extension KubernetesClient {
    /// Reads the Service or workload behind `target` and returns how to find
    /// its pods. A pod target needs no request.
    /// - Throws: `APIError` (e.g. `.notFound` for a missing Service),
    ///   ``PortForwardTargetError`` (`.noSelector`) for a Service without a selector.
    public func portForwardSelection(for target: PortForwardTarget, namespace: String) async throws -> PortForwardSelection {
        switch target.kind {
        case .pod:
            return PortForwardSelection(target: target, namespace: namespace, podName: target.name)
        case .service:
            let service = try await resources(Service.self, namespace: namespace).get(target.name)
            guard let selector = service.spec?.selector, !selector.isEmpty else {
                throw PortForwardTargetError(.noSelector,
                                             "service \(target.name) has no selector, so it has no pods to forward to "
                                             + "(forward to a pod instead: pod/NAME)")
            }
            return PortForwardSelection(target: target, namespace: namespace,
                                        labelSelector: LabelSelectorText.render(matchLabels: selector, expressions: []),
                                        service: service)
        case .deployment:
            let selector = try await resources(Deployment.self, namespace: namespace).get(target.name).spec?.selector
            return try workloadSelection(target, namespace: namespace, selector)
        case .statefulSet:
            let selector = try await resources(StatefulSet.self, namespace: namespace).get(target.name).spec?.selector
            return try workloadSelection(target, namespace: namespace, selector)
        case .replicaSet:
            let selector = try await resources(ReplicaSet.self, namespace: namespace).get(target.name).spec?.selector
            return try workloadSelection(target, namespace: namespace, selector)
        }
    }

    private func workloadSelection(_ target: PortForwardTarget, namespace: String,
                                   _ selector: LabelSelector?) throws -> PortForwardSelection {
        let text = LabelSelectorText.render(matchLabels: selector?.matchLabels ?? [:],
                                            expressions: selector?.matchExpressions ?? [])
        guard !text.isEmpty else {
            throw PortForwardTargetError(.noSelector, "\(target) has an empty selector, so it has no pods to forward to")
        }
        return PortForwardSelection(target: target, namespace: namespace, labelSelector: text)
    }

    /// Resolves `target` to one ready pod now and maps `ports` onto it
    /// (kubectl's behaviour: a single resolution, no watching).
    /// - Throws: `APIError`, or ``PortForwardTargetError`` when no pod is
    ///   ready or a port does not exist.
    public func resolvePortForward(_ target: PortForwardTarget, namespace: String,
                                   ports: [IntOrString]) async throws -> (pod: Pod, ports: [UInt16]) {
        let selection = try await portForwardSelection(for: target, namespace: namespace)
        let options = selection.watchOptions
        let pods = try await resources(Pod.self, namespace: namespace)
            .list(ListOptions(labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)).items
        if target.kind == .pod, pods.isEmpty {
            _ = try await resources(Pod.self, namespace: namespace).get(target.name) // the API's NotFound
        }
        guard let pod = PortForwardPodChooser.choose(pods) else {
            throw PortForwardTargetError(.noReadyPod, "\(target): \(PortForwardPodChooser.explainNoneReady(pods))")
        }
        return (pod, try selection.podPorts(for: ports, on: pod))
    }
}

/// Label selectors in the API's query syntax (`app=web,tier in (a,b),!old`).
enum LabelSelectorText {
    static func render(matchLabels: [String: String], expressions: [LabelSelectorRequirement]) -> String {
        var parts = matchLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for requirement in expressions {
            let values = (requirement.values ?? []).sorted().joined(separator: ",")
            switch requirement.operator {
            case "In": parts.append("\(requirement.key) in (\(values))")
            case "NotIn": parts.append("\(requirement.key) notin (\(values))")
            case "Exists": parts.append(requirement.key)
            case "DoesNotExist": parts.append("!\(requirement.key)")
            default: parts.append("\(requirement.key) \(requirement.operator.lowercased()) (\(values))")
            }
        }
        return parts.joined(separator: ",")
    }
}
