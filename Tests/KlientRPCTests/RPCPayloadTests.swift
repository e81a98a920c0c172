import Foundation
import KlientRPC
import KlientWire
import Testing

private let session = SessionInfo(
    id: "s1", kind: "forward", context: "kind-dev", namespace: "default", target: "pod/web-0 8080:80",
    state: "backoff", reason: "connection refused", startedAt: "2025-05-01T09:31:12Z", clientPID: 5120,
    bytesIn: 1 << 40, bytesOut: 7)

private let status = DaemonStatus(
    daemonVersion: "0.1.0", protocolVersion: 1, pid: 4242, startedAt: "2025-05-01T09:30:00Z", uptimeSeconds: 60,
    socket: "/run/user/1000/klient/klientd.sock", socketActivated: false, stateDirectory: "/home/a/.local/state/klient",
    kubeconfig: ["/home/a/.kube/config"], contexts: ["a", "b"], currentContext: nil, sessions: 2, forwards: 1,
    connections: 3, clients: 1, summary: "ok")

/// Round-trips a payload through its JSON form, its encoded bytes, and Codable.
private func roundTrip<P: RPCPayload>(_ payload: P) throws {
    let json = payload.json
    #expect(json.objectValue != nil)
    #expect(try P(json: json) == payload)
    #expect(try P(json: JSONValue.parse(json.encoded())) == payload)
    let data = try JSONEncoder().encode(payload)
    #expect(try JSONDecoder().decode(P.self, from: data) == payload)
    // Codable and the hand-written form agree on the wire.
    #expect(try JSONValue.parse(Array(data)) == json)
}

private func invalidParams<P: RPCPayload>(_ type: P.Type, _ json: JSONValue) -> String? {
    do {
        _ = try P(json: json)
        return nil
    } catch {
        #expect(error.code == -32602)
        return error.message
    }
}

@Suite struct RPCPayloadTests {
    @Test func everyPayloadRoundTrips() throws {
        try roundTrip(HelloParams(protocolVersion: 1, client: "klientctl 0.1.0"))
        try roundTrip(HelloResult(protocolVersion: 1, daemonVersion: "0.1.0", pid: .max))
        try roundTrip(status)
        try roundTrip(DaemonStatus(
            daemonVersion: "v", protocolVersion: 1, pid: 1, startedAt: "t", uptimeSeconds: 0, socket: "s",
            socketActivated: true, stateDirectory: "d", kubeconfig: [], contexts: [], currentContext: "é",
            sessions: 0, forwards: 0, connections: 0, clients: 0, summary: ""))
        try roundTrip(session)
        try roundTrip(SessionInfo(id: "x", kind: "exec", target: "pod/a", state: "ready", startedAt: "t", bytesIn: 0, bytesOut: 0))
        try roundTrip(SessionListParams(kind: "forward"))
        try roundTrip(SessionListParams())
        try roundTrip(SessionListResult(sessions: [session, session]))
        try roundTrip(SessionListResult(sessions: []))
        try roundTrip(SessionStopParams(id: "s1"))
        try roundTrip(SessionStopResult(id: "s1", stopped: false))
        try roundTrip(EventsSubscribeParams(kinds: [DaemonEvent.sessionStarted]))
        try roundTrip(EventsSubscribeParams())
        try roundTrip(EventsSubscribeResult(subscribed: true))
        try roundTrip(DaemonEvent(type: DaemonEvent.sessionFailed, time: "t", session: session, message: "gone"))
        try roundTrip(DaemonEvent(type: DaemonEvent.daemonStopping, time: "t"))
        try roundTrip(ConfigReloadResult(contexts: ["a"], currentContext: "a", kubeconfig: ["/k"]))
    }

    @Test func nilOptionalsAreLeftOutAndNullIsAccepted() throws {
        let json = SessionInfo(id: "x", kind: "exec", target: "t", state: "ready", startedAt: "t", bytesIn: 0, bytesOut: 0).json
        #expect(json.objectValue?.keys.sorted() == ["bytesIn", "bytesOut", "id", "kind", "startedAt", "state", "target"])
        var withNulls = json
        withNulls["context"] = .null
        withNulls["clientPID"] = .null
        withNulls["futureField"] = ["anything": true]
        #expect(try SessionInfo(json: withNulls) == SessionInfo(json: json))
    }

    @Test func absentParamsAreAnEmptyObject() throws {
        #expect(try SessionListParams(params: nil) == SessionListParams())
        #expect(try EventsSubscribeParams(params: nil) == EventsSubscribeParams())
        #expect(throws: RPCError.invalidParams(#""id" is missing; it must be a string"#)) { try SessionStopParams(params: nil) }
    }

    @Test func wrongTypesNameTheField() {
        #expect(invalidParams(SessionStopParams.self, ["id": 42]) == #"invalid params: "id" must be a string"#)
        #expect(invalidParams(SessionStopParams.self, ["id": nil]) == #"invalid params: "id" is missing; it must be a string"#)
        #expect(invalidParams(SessionStopParams.self, ["ID": "s1"]) == #"invalid params: "id" is missing; it must be a string"#)
        #expect(invalidParams(HelloParams.self, ["protocolVersion": "1", "client": "c"])
                == #"invalid params: "protocolVersion" must be an integer"#)
        #expect(invalidParams(HelloParams.self, ["protocolVersion": 1.5, "client": "c"])
                == #"invalid params: "protocolVersion" must be an integer"#)
        #expect(invalidParams(HelloParams.self, ["protocolVersion": 1, "client": ["c"]]) == #"invalid params: "client" must be a string"#)
        #expect(invalidParams(HelloResult.self, ["protocolVersion": 1, "daemonVersion": "v", "pid": .int(1 << 40)])
                == #"invalid params: "pid" must be an integer between -2147483648 and 2147483647"#)
        #expect(invalidParams(SessionListParams.self, ["kind": true]) == #"invalid params: "kind" must be a string"#)
        #expect(invalidParams(EventsSubscribeParams.self, ["kinds": "session.started"])
                == #"invalid params: "kinds" must be an array of strings"#)
        #expect(invalidParams(EventsSubscribeParams.self, ["kinds": ["a", 2]]) == #"invalid params: "kinds[1]" must be a string"#)
        #expect(invalidParams(SessionStopResult.self, ["id": "s", "stopped": "yes"]) == #"invalid params: "stopped" must be true or false"#)
        #expect(invalidParams(SessionStopParams.self, ["s1"]) == "invalid params: params must be an object")
        #expect(invalidParams(SessionStopParams.self, "s1") == "invalid params: params must be an object")
    }

    @Test func nestedFieldsAreNamedByPath() {
        var broken = session.json
        broken["state"] = 3
        #expect(invalidParams(SessionListResult.self, ["sessions": [session.json, broken]])
                == #"invalid params: "sessions[1].state" must be a string"#)
        #expect(invalidParams(SessionListResult.self, ["sessions": [1]]) == #"invalid params: "sessions[0]" must be an object"#)
        #expect(invalidParams(SessionListResult.self, ["sessions": ["x": 1]])
                == #"invalid params: "sessions" must be an array of objects"#)
        var event = DaemonEvent(type: "session.started", time: "t", session: session).json
        event[path: ["session", "bytesIn"]] = "many"
        #expect(invalidParams(DaemonEvent.self, event) == #"invalid params: "session.bytesIn" must be an integer"#)
        #expect(invalidParams(DaemonEvent.self, ["type": "x", "time": "t", "session": "s1"])
                == #"invalid params: "session" must be an object"#)
    }

    @Test func eventNotification() throws {
        let event = DaemonEvent(type: DaemonEvent.configReloaded, time: "2025-05-01T10:20:00Z", message: "3 contexts")
        let line = RPCCodec.encode(.notification(event.notification))
        #expect(line == Array(#"{"jsonrpc":"2.0","method":"event","params":{"message":"3 contexts","time":"2025-05-01T10:20:00Z","type":"config.reloaded"}}"#.utf8) + [0x0A])
        #expect(DaemonEvent.allTypes.count == 7)
        #expect(DaemonEvent.allTypes.contains("session.updated"))
    }
}
