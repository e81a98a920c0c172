import KlientWire

/// For each Service with a selector, keeps an Endpoints object of the same
/// name listing the selected pods' IPs (ready ones in `addresses`, others in
/// `notReadyAddresses`) with the service's target ports, named target ports
/// resolved per pod from its containers' ports. Deleting the Service deletes
/// its Endpoints.
struct EndpointsController: Sendable {
    let store: ObjectStore

    func register(_ loop: ControllerLoop) throws {
        try loop.watch(ResourceRegistry.services) { [ControllerLoop.key(of: $0.object)] }
        let store = self.store
        // A pod change can concern any service of its namespace (labels may have changed).
        try loop.watch(ResourceRegistry.pods) { event in
            let namespace = event.object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let services = (try? store.list(ResourceRegistry.services, namespace: namespace).items) ?? []
            return services.filter { $0[path: ["spec", "selector"]]?.objectValue?.isEmpty == false }
                .map(ControllerLoop.key(of:))
        }
    }

    func reconcile(namespace: String, name: String) throws {
        let existing = try? store.get(ResourceRegistry.endpoints, namespace: namespace, name: name)
        guard let service = try? store.get(ResourceRegistry.services, namespace: namespace, name: name) else {
            if existing != nil { _ = try? store.delete(ResourceRegistry.endpoints, namespace: namespace, name: name) }
            return
        }
        guard let selectorLabels = service[path: ["spec", "selector"]]?.objectValue, !selectorLabels.isEmpty else { return }
        let selector = selectorLabels.compactMapValues(\.stringValue)
        let pods = try store.list(ResourceRegistry.pods, namespace: namespace).items.filter { pod in
            let labels = ControllerObjects.labels(pod)
            return selector.allSatisfy { labels[$0.key] == $0.value } && ControllerObjects.isActive(pod)
                && !(pod[path: ["status", "podIP"]]?.stringValue ?? "").isEmpty
        }
        let servicePorts = service[path: ["spec", "ports"]]?.arrayValue ?? []
        // Pods with the same resolved ports share a subset.
        var subsets: [(ports: [JSONValue], ready: [JSONValue], notReady: [JSONValue])] = []
        for pod in pods.sorted(by: { ($0[path: ["status", "podIP"]]?.stringValue ?? "") < ($1[path: ["status", "podIP"]]?.stringValue ?? "") }) {
            let ports = servicePorts.compactMap { Self.endpointPort($0, pod: pod) }
            let address: JSONValue = [
                "ip": pod[path: ["status", "podIP"]] ?? "", "nodeName": pod[path: ["spec", "nodeName"]] ?? .string(PodRuntime.nodeName),
                "targetRef": ["kind": "Pod", "namespace": .string(namespace), "name": .string(ControllerObjects.name(pod)),
                              "uid": .string(ControllerObjects.uid(pod))],
            ]
            let index = subsets.firstIndex { $0.ports == ports } ?? {
                subsets.append((ports, [], []))
                return subsets.count - 1
            }()
            if ControllerObjects.isReady(pod) { subsets[index].ready.append(address) } else { subsets[index].notReady.append(address) }
        }
        let subsetsJSON: [JSONValue] = subsets.map { subset in
            var o: JSONValue = ["ports": .array(subset.ports)]
            if !subset.ready.isEmpty { o["addresses"] = .array(subset.ready) }
            if !subset.notReady.isEmpty { o["notReadyAddresses"] = .array(subset.notReady) }
            return o
        }
        let labels = service[path: ["metadata", "labels"]]
        if let existing {
            if existing["subsets"] == (subsetsJSON.isEmpty ? nil : .array(subsetsJSON)), existing[path: ["metadata", "labels"]] == labels {
                return
            }
            try store.modify(ResourceRegistry.endpoints, namespace: namespace, name: name) { ep in
                ep["subsets"] = subsetsJSON.isEmpty ? nil : .array(subsetsJSON)
                ep[path: ["metadata", "labels"]] = labels
            }
        } else {
            var ep: JSONValue = ["apiVersion": "v1", "kind": "Endpoints",
                                 "metadata": ["name": .string(name), "namespace": .string(namespace)]]
            if let labels { ep[path: ["metadata", "labels"]] = labels }
            if !subsetsJSON.isEmpty { ep["subsets"] = .array(subsetsJSON) }
            try store.create(ResourceRegistry.endpoints, namespace: namespace, object: ep)
        }
    }

    /// The endpoint port for one service port on one pod; nil when a named
    /// target port is not declared by the pod.
    static func endpointPort(_ servicePort: JSONValue, pod: JSONValue) -> JSONValue? {
        let target = servicePort["targetPort"] ?? servicePort["port"] ?? .null
        var number: Int64?
        if let n = target.intValue {
            number = n
        } else if let portName = target.stringValue {
            if let n = Int64(portName) {
                number = n
            } else {
                for container in pod[path: ["spec", "containers"]]?.arrayValue ?? [] {
                    for port in container["ports"]?.arrayValue ?? [] where port["name"]?.stringValue == portName {
                        number = port["containerPort"]?.intValue
                    }
                }
            }
        }
        guard let number else { return nil }
        var o: JSONValue = ["port": .int(number), "protocol": servicePort["protocol"] ?? "TCP"]
        if let name = servicePort["name"]?.stringValue, !name.isEmpty { o["name"] = .string(name) }
        if let appProtocol = servicePort["appProtocol"] { o["appProtocol"] = appProtocol }
        return o
    }
}
