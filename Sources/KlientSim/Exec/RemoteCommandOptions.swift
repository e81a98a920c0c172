import KlientWire
import KlientHTTP

/// The query of an exec or attach request (`PodExecOptions` / `PodAttachOptions`).
public struct RemoteCommandOptions: Sendable, Hashable {
    public var command: [String]
    public var stdin: Bool
    public var stdout: Bool
    public var stderr: Bool
    public var tty: Bool
    /// The container asked for, or "" (then the pod must have exactly one).
    public var container: String

    /// Limits on what a query may carry.
    static let maxQueryLength = 64 * 1024
    static let maxCommandArguments = 4096

    /// Parses a request target's query. Booleans follow the API server's
    /// conversion: missing → false, `0` or `false` in any case (so Python's
    /// `False`) → false, anything else → true. `command` repeats once per argv
    /// element. With `tty`, stderr is dropped (the kubelet does the same).
    /// - Throws: ``RemoteCommandRequestError`` for an oversized query.
    public init(target: String) throws(RemoteCommandRequestError) {
        let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        guard query.utf8.count <= Self.maxQueryLength else {
            throw .badRequest("the query is longer than \(Self.maxQueryLength) bytes")
        }
        var values: [String: [String]] = [:]
        for (name, value) in HTTPQuery(query: query).pairs {
            values[name, default: []].append(value)
        }
        func flag(_ name: String) -> Bool {
            guard let first = values[name]?.first else { return false }
            return !(first == "0" || first.lowercased() == "false")
        }
        command = values["command"] ?? []
        guard command.count <= Self.maxCommandArguments else {
            throw .badRequest("more than \(Self.maxCommandArguments) command arguments")
        }
        stdin = flag("stdin")
        stdout = flag("stdout")
        tty = flag("tty")
        stderr = flag("stderr") && !tty
        container = values["container"]?.first ?? ""
    }

    /// Resolves the container against the pod's spec, as the API server's
    /// `streamLocation` does, and checks that a stream was asked for.
    /// - Throws: ``RemoteCommandRequestError/badRequest(_:)`` with the API server's texts.
    public func resolveContainer(in pod: PodContext) throws(RemoteCommandRequestError) -> String {
        let names = pod.containerNames
        var chosen = container
        if chosen.isEmpty {
            switch names.count {
            case 1: chosen = names[0]
            case 0: throw .badRequest("a container name must be specified for pod \(pod.name)")
            default:
                var message = "a container name must be specified for pod \(pod.name), choose one of: [\(names.joined(separator: " "))]"
                let initNames = (pod.object[path: ["spec", "initContainers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                if !initNames.isEmpty { message += " or one of the init containers: [\(initNames.joined(separator: " "))]" }
                throw .badRequest(message)
            }
        } else if !names.contains(chosen) {
            throw .badRequest("container \(chosen) is not valid for pod \(pod.name)")
        }
        guard stdin || stdout || stderr else {
            throw .badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
        return chosen
    }

}

/// Why an exec or attach request was refused before any upgrade.
public enum RemoteCommandRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400 BadRequest with this message.
    case badRequest(String)

    public var description: String {
        switch self {
        case .badRequest(let message): message
        }
    }
}
