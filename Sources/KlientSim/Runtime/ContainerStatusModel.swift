import KlientWire

/// What the runtime knows about one container, rendered as a
/// `status.containerStatuses[]` entry.
struct ContainerStatusModel: Sendable {
    struct Terminated: Sendable {
        var exitCode: Int32
        var signal: Int32?
        var reason: String
        var message: String?
        var startedAt: LogTimestamp
        var finishedAt: LogTimestamp
        var containerID: String

        var json: JSONValue {
            var o: JSONValue = ["exitCode": .int(Int64(exitCode)), "reason": .string(reason),
                                "startedAt": .string(startedAt.rfc3339), "finishedAt": .string(finishedAt.rfc3339),
                                "containerID": .string(containerID)]
            if let signal { o["signal"] = .int(Int64(signal)) }
            if let message { o["message"] = .string(message) }
            return o
        }
    }

    enum State: Sendable {
        case waiting(reason: String, message: String?)
        case running(startedAt: LogTimestamp)
        case terminated(Terminated)
    }

    var name: String
    var image: String
    var restartCount = 0
    var state: State = .waiting(reason: "ContainerCreating", message: nil)
    var lastTerminated: Terminated?
    var containerID = ""

    var isRunning: Bool { if case .running = state { return true }; return false }
    var isTerminated: Bool { if case .terminated = state { return true }; return false }

    var json: JSONValue {
        var stateJSON: JSONValue
        switch state {
        case .waiting(let reason, let message):
            stateJSON = ["waiting": ["reason": .string(reason)]]
            if let message { stateJSON[path: ["waiting", "message"]] = .string(message) }
        case .running(let startedAt):
            stateJSON = ["running": ["startedAt": .string(startedAt.rfc3339)]]
        case .terminated(let t):
            stateJSON = ["terminated": t.json]
        }
        var o: JSONValue = [
            "name": .string(name), "image": .string(image),
            "imageID": .string("klient-sim://image/" + image),
            "ready": .bool(isRunning), "started": .bool(isRunning),
            "restartCount": .int(Int64(restartCount)), "state": stateJSON,
            "lastState": lastTerminated.map { ["terminated": $0.json] } ?? .object([:]),
        ]
        if !containerID.isEmpty { o["containerID"] = .string(containerID) }
        return o
    }
}
