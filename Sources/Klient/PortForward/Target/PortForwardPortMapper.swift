/// Maps a requested remote port to the pod port that is dialled, the way
/// kubectl does for `port-forward svc/NAME PORT`:
///
/// - through a Service: the requested number or name selects a Service port
///   (by `port` or `name`), whose `targetPort` (number, name, or absent =
///   the same number) is then resolved on the pod;
/// - on a pod: a number is used as is; a name is looked up among the
///   containers' named ports.
public enum PortForwardPortMapper {
    /// - Throws: ``PortForwardTargetError`` (`.unknownPort`) saying which
    ///   ports exist.
    public static func podPort(for requested: IntOrString, service: Service?, pod: Pod) throws(PortForwardTargetError) -> UInt16 {
        guard let service else { return try containerPort(requested, pod: pod, context: nil) }
        let ports = service.spec?.ports ?? []
        let match: ServicePort? = switch requested {
        case .int(let number): ports.first { $0.port == number }
        case .string(let name): ports.first { $0.name == name }
        }
        let serviceName = service.metadata.name ?? "?"
        guard let match else {
            let known = ports.isEmpty ? "none" : ports.map { p in p.name.map { "\(p.port)/\($0)" } ?? String(p.port) }.joined(separator: ", ")
            throw PortForwardTargetError(.unknownPort,
                                         "service \(serviceName) has no port \(requested) (its ports: \(known))")
        }
        return try containerPort(match.targetPort ?? .int(match.port), pod: pod,
                                 context: "service \(serviceName) port \(requested) targets")
    }

    static func containerPort(_ port: IntOrString, pod: Pod, context: String?) throws(PortForwardTargetError) -> UInt16 {
        switch port {
        case .int(let number):
            guard let value = UInt16(exactly: number), value > 0 else {
                throw PortForwardTargetError(.unknownPort, "\(context.map { $0 + " " } ?? "")port \(number) is not in 1...65535")
            }
            return value
        case .string(let name):
            let declared = (pod.spec?.containers ?? []).flatMap { $0.ports ?? [] }
            if let found = declared.first(where: { $0.name == name }), let value = UInt16(exactly: found.containerPort) {
                return value
            }
            let names = declared.compactMap { p in p.name.map { "\($0)=\(p.containerPort)" } }
            throw PortForwardTargetError(.unknownPort,
                                         "\(context.map { $0 + " " } ?? "")port \"\(name)\", which pod \(pod.metadata.name ?? "?") "
                                         + "does not declare (its named ports: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
    }
}
