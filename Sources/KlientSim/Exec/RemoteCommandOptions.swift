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
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.percentDecode(parts[0])
            let value = parts.count > 1 ? Self.percentDecode(parts[1]) : ""
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

    /// Go's `url.QueryUnescape`: `%XX` and `+` as space; malformed escapes stay as they are.
    static func percentDecode(_ text: Substring) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "+" }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var index = 0
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                      let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
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
