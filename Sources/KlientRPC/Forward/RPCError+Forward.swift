import KlientWire

extension RPCError {
    /// The `Timeout` error of `forward.wait`: the forward did not become ready
    /// within `seconds`. `data` carries `id`, `state` and, when the forward
    /// has one, `stateReason` (the forward's `reason`; `data.reason` is the
    /// error reason, `Timeout`), so clients can show why without parsing the message.
    public static func forwardNotReady(_ forward: ForwardInfo, seconds: Double) -> RPCError {
        var message = "forward \(forward.displayName) is not ready after \(ForwardInfo.seconds(seconds)): state \(forward.state)"
        if let reason = forward.reason { message += " (\(reason))" }
        var data: [String: JSONValue] = ["id": .string(forward.id), "state": .string(forward.state)]
        if let reason = forward.reason { data["stateReason"] = .string(reason) }
        return .application(.timeout, message, details: .object(data))
    }
}

extension ForwardInfo {
    /// `f-1 "web"`, or `f-1` without a name: how messages refer to a forward.
    public var displayName: String {
        guard let name else { return id }
        return "\(id) \(JSONValue.string(name).jsonString)"
    }

    /// `SessionInfo.target` of the forward's session in `session.list`: the
    /// target, then `LOCAL:REMOTE` per distinct listening port, e.g.
    /// `"svc/web 40123:80"` or `"pod/db-0 5432:5432 9187:metrics"`.
    public var sessionTarget: String {
        var seen: [String] = []
        for listener in listeners {
            let pair = "\(listener.port):\(listener.remotePort)"
            if !seen.contains(pair) { seen.append(pair) }
        }
        return ([target] + seen).joined(separator: " ")
    }

    /// `30s`, `1.5s`, `500ms`: a wait in words for messages.
    static func seconds(_ value: Double) -> String {
        if value < 1, value > 0 { return "\(Int((value * 1000).rounded()))ms" }
        if value == value.rounded() { return "\(Int(value))s" }
        return "\(value)s"
    }
}
