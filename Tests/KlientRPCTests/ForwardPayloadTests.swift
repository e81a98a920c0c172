import Foundation
import KlientRPC
import KlientWire
import Testing

private let listener = ForwardListener(address: "::1", port: 40123, remotePort: .name("http"), podPort: 8080)

private let info = ForwardInfo(
    id: "f-1", name: "web", context: "klient-sim", namespace: "default", target: "svc/web", mode: "auto",
    activeMode: "tunnel", persist: true, pool: 2, state: "ready", reason: nil, pod: "web-7d9c-abcde",
    listeners: [ForwardListener(address: "127.0.0.1", port: 40123, remotePort: .number(80), podPort: 8080), listener],
    activeConnections: 3, totalConnections: 1 << 33, bytesIn: 1 << 40, bytesOut: 12, reconnects: 1,
    lastError: "pod web-7d9c-xyz was deleted", createdAt: "2026-11-22T15:00:00Z")

/// Round-trips a payload through its JSON form, its encoded bytes, and Codable.
private func roundTrip<P: RPCPayload>(_ payload: P) throws {
    let json = payload.json
    #expect(try P(json: json) == payload)
    #expect(try P(json: JSONValue.parse(json.encoded())) == payload)
    let data = try JSONEncoder().encode(payload)
    #expect(try JSONDecoder().decode(P.self, from: data) == payload)
    #expect(try JSONValue.parse(Array(data)) == json, "Codable and the hand-written form agree")
}

private func message<P: RPCPayload>(_ type: P.Type, _ json: JSONValue) -> String? {
    do {
        _ = try P(json: json)
        return nil
    } catch {
        #expect(error.code == RPCError.invalidParamsCode)
        return error.message
    }
}

@Suite struct ForwardPayloadTests {
    static let add: JSONValue = ["target": "svc/web", "ports": [["remote": 80]]]

    @Test func everyForwardPayloadRoundTrips() throws {
        try roundTrip(ForwardPortSpec(local: 8080, remote: .number(80)))
        try roundTrip(ForwardPortSpec(remote: .name("http")))
        try roundTrip(ForwardAddParams(target: "svc/web", ports: [ForwardPortSpec(remote: .number(80))]))
        try roundTrip(ForwardAddParams(
            context: "prod", namespace: "shop", target: "deploy/cart",
            ports: [ForwardPortSpec(local: 9000, remote: .name("http")), ForwardPortSpec(remote: .number(9090))],
            addresses: ["0.0.0.0"], name: "cart", persist: false, pool: 0, mode: "channel"))
        try roundTrip(listener)
        try roundTrip(ForwardListener(address: "127.0.0.1", port: 0, remotePort: .number(65535)))
        try roundTrip(info)
        try roundTrip(ForwardInfo(id: "f-2", context: "c", namespace: "n", target: "pod/a", state: "connecting",
                                  listeners: [], createdAt: "t"))
        try roundTrip(ForwardListResult(forwards: [info, info]))
        try roundTrip(ForwardListResult(forwards: []))
        try roundTrip(ForwardRemoveParams(ref: "web"))
        try roundTrip(ForwardRemoveParams(all: true))
        try roundTrip(ForwardRemoveResult(removed: ["f-1", "f-2"]))
        try roundTrip(ForwardWaitParams(ref: "f-1"))
        try roundTrip(ForwardWaitParams(ref: "f-1", timeout: 30))
        try roundTrip(ForwardWaitParams(ref: "f-1", timeout: 0.5))
    }

    @Test func addParamsDefaults() throws {
        let params = try ForwardAddParams(json: Self.add)
        #expect(params == ForwardAddParams(target: "svc/web", ports: [ForwardPortSpec(remote: .number(80))]))
        #expect(params.persist && params.mode == "auto" && params.pool == nil && params.addresses == nil)
        #expect(params.json == ["target": "svc/web", "ports": [["remote": 80]], "persist": true, "mode": "auto"])
        #expect(try ForwardRemoveParams(params: nil) == ForwardRemoveParams(ref: nil, all: false))
        #expect(try ForwardWaitParams(json: ["ref": "web", "timeout": 2.5]).timeout == 2.5)
        #expect(ForwardWaitParams(ref: "w", timeout: 30).json == ["ref": "w", "timeout": 30])
        #expect(ForwardPortSpec(remote: .name("http")).json == ["remote": "http"])
        #expect(params.effectiveAddresses == ["127.0.0.1", "::1"] && params.effectivePool == 2)
        #expect(try params.parsedTarget() == ForwardTarget(kind: .service, name: "web"))
        #expect(ForwardWaitParams(ref: "w").effectiveTimeout == .seconds(30))
        #expect(ForwardWaitParams(ref: "w", timeout: 0.25).effectiveTimeout == .milliseconds(250))
    }

    @Test func addParamsValidationNamesTheField() {
        func with(_ key: String, _ value: JSONValue) -> JSONValue {
            var json = Self.add
            json[key] = value
            return json
        }
        #expect(message(ForwardAddParams.self, with("ports", [])) == #"invalid params: "ports" must name at least one port"#)
        #expect(message(ForwardAddParams.self, with("ports", [["remote": 0]]))
                == #"invalid params: "ports[0].remote" must be a port number between 1 and 65535, not 0"#)
        #expect(message(ForwardAddParams.self, with("ports", [["remote": 80], ["remote": 65536]]))
                == #"invalid params: "ports[1].remote" must be a port number between 1 and 65535, not 65536"#)
        #expect(message(ForwardAddParams.self, with("ports", [["local": 70000, "remote": 80]]))
                == #"invalid params: "ports[0].local" must be an integer between 0 and 65535, not 70000"#)
        #expect(message(ForwardAddParams.self, with("ports", [["local": -1, "remote": 80]]))
                == #"invalid params: "ports[0].local" must be an integer between 0 and 65535, not -1"#)
        #expect(message(ForwardAddParams.self, with("ports", [["local": 1]]))
                == #"invalid params: "ports[0].remote" is missing; it must be a port number or a port name"#)
        #expect(message(ForwardAddParams.self, with("ports", [["remote": true]]))
                == #"invalid params: "ports[0].remote" must be a port number or a port name (a string)"#)
        #expect(message(ForwardAddParams.self, with("ports", [["remote": "HTTP"]]))
                == #"invalid params: "ports[0].remote" "HTTP" is not a valid port name: port names are lowercase"#)
        #expect(message(ForwardAddParams.self, with("ports", [["remote": "a-very-long-name-x"]]))?
                    .hasSuffix("port names are at most 15 characters") == true)
        #expect(message(ForwardAddParams.self, with("pool", 17)) == #"invalid params: "pool" must be an integer between 0 and 16, not 17"#)
        #expect(message(ForwardAddParams.self, with("pool", -1)) == #"invalid params: "pool" must be an integer between 0 and 16, not -1"#)
        #expect(message(ForwardAddParams.self, with("mode", "spdy")) == #"invalid params: "mode" must be one of auto, tunnel, channel, not "spdy""#)
        #expect(message(ForwardAddParams.self, with("persist", "no")) == #"invalid params: "persist" must be true or false"#)
        #expect(message(ForwardAddParams.self, with("addresses", [])) == #"invalid params: "addresses" must not be empty; leave it out for 127.0.0.1 and ::1"#)
        #expect(message(ForwardAddParams.self, with("addresses", ["127.0.0.1", ""])) == #"invalid params: "addresses[1]" must not be empty"#)
        #expect(message(ForwardAddParams.self, with("name", "")) == #"invalid params: "name" must not be empty"#)
        #expect(message(ForwardAddParams.self, with("target", "job/x"))
                == #"invalid params: "target" is not a valid target: unknown target kind "job" in "job/x"; use NAME (a pod), pod/NAME, svc/NAME, deploy/NAME, sts/NAME or rs/NAME"#)
        #expect(message(ForwardAddParams.self, ["ports": [["remote": 80]]]) == #"invalid params: "target" is missing; it must be a string"#)
        #expect(message(ForwardAddParams.self, ["target": "web"]) == #"invalid params: "ports" is missing; it must be an array of objects"#)
        #expect(message(ForwardWaitParams.self, ["ref": "w", "timeout": -1])
                == #"invalid params: "timeout" must be a number of seconds between 0 and 86400, not -1.0"#)
        #expect(message(ForwardWaitParams.self, ["ref": "w", "timeout": "30s"]) == #"invalid params: "timeout" must be a number"#)
        #expect(message(ForwardListener.self, ["address": "a", "port": 1, "remotePort": 80, "podPort": 0])
                == #"invalid params: "podPort" must be an integer between 1 and 65535, not 0"#)
        var broken = info.json
        broken[path: ["listeners"]] = [["address": "a", "port": 1, "remotePort": "Bad"]]
        #expect(message(ForwardListResult.self, ["forwards": [broken]])
                == #"invalid params: "forwards[0].listeners[0].remotePort" "Bad" is not a valid port name: port names are lowercase"#)
    }

    @Test(arguments: [
        ("8080:80", 8080, ForwardRemotePort.number(80)), (":80", nil, .number(80)), ("0:80", nil, .number(80)),
        ("80", 80, .number(80)), ("http", nil, .name("http")), ("8080:http", 8080, .name("http")),
        ("65535:65535", 65535, .number(65535)), ("1:1", 1, .number(1)), (":web-2", nil, .name("web-2")),
        ("0080:080", 80, .number(80)),
    ] as [(String, Int?, ForwardRemotePort)])
    func portSpecsParse(text: String, local: Int?, remote: ForwardRemotePort) throws {
        #expect(try ForwardPortSpec(parsing: text) == ForwardPortSpec(local: local, remote: remote))
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("8080:", "the remote port after \":\" is missing"),
        (":", "the remote port after \":\" is missing"),
        ("1:2:3", "more than one \":\""),
        ("abc:80", "the local port \"abc\" is not a number"),
        ("-1:80", "the local port \"-1\" is not a number"),
        ("70000:80", "the local port 70000 is out of range: local ports are 0-65535"),
        ("8080:0", "remote port 0 is out of range: port numbers are 1-65535"),
        ("0", "remote port 0 is out of range: port numbers are 1-65535"),
        ("99999", "remote port 99999 is out of range: port numbers are 1-65535"),
        ("HTTP", "\"HTTP\" is neither a port number (1-65535) nor a valid port name: port names are lowercase"),
        ("8080:-http", "\"-http\" is neither a port number (1-65535) nor a valid port name: port names do not begin or end with '-'"),
        ("a--b", "port names do not contain \"--\""),
        ("123-456", "port names contain at least one letter"),
        ("abcdefghijklmnop", "port names are at most 15 characters"),
        ("h_t", "port names contain only lowercase letters, digits and '-'"),
    ])
    func badPortSpecsSayWhatIsWrong(text: String, problem: String) {
        do {
            let spec = try ForwardPortSpec(parsing: text)
            Issue.record("\(text) parsed as \(spec)")
        } catch {
            #expect(error.message.hasPrefix("invalid port \"\(text)\": "), "\(error)")
            #expect(error.message.contains(problem), "\(error)")
            #expect(error.message.hasSuffix("; use " + ForwardPortSpec.acceptedForms))
        }
    }

    @Test func portSpecDescription() throws {
        #expect(try ForwardPortSpec(parsing: "8080:http").description == "8080:http")
        #expect(try ForwardPortSpec(parsing: "0:80").description == ":80")
        #expect(try ForwardPortSpec(parsing: "80").description == "80:80")
        #expect(ForwardRemotePort.portNameProblem("http-alt") == nil)
        #expect(ForwardRemotePort.portNameProblem("h") == nil)
        #expect(ForwardRemotePort.portNameProblem("123456789012345") != nil)
        #expect(ForwardRemotePort.portNameProblem("abcdefghijklmn5") == nil)
    }

    @Test(arguments: [
        ("web-0", ForwardTarget.Kind.pod, "web-0", "pod/web-0"), ("pod/web-0", .pod, "web-0", "pod/web-0"),
        ("pods/a.b", .pod, "a.b", "pod/a.b"), ("po/x", .pod, "x", "pod/x"),
        ("svc/web", .service, "web", "svc/web"), ("service/web", .service, "web", "svc/web"),
        ("Service/web", .service, "web", "svc/web"), ("services/web", .service, "web", "svc/web"),
        ("deploy/api", .deployment, "api", "deploy/api"), ("deployment/api", .deployment, "api", "deploy/api"),
        ("sts/db", .statefulSet, "db", "sts/db"), ("statefulset/db", .statefulSet, "db", "sts/db"),
        ("deployment.apps/api", .deployment, "api", "deploy/api"), ("statefulsets.v1.apps/db", .statefulSet, "db", "sts/db"),
        ("rs/web-5d8f", .replicaSet, "web-5d8f", "rs/web-5d8f"), ("replicaset/web-5d8f", .replicaSet, "web-5d8f", "rs/web-5d8f"),
    ] as [(String, ForwardTarget.Kind, String, String)])
    func targetsParse(text: String, kind: ForwardTarget.Kind, name: String, canonical: String) throws {
        let target = try ForwardTarget(parsing: text)
        #expect(target == ForwardTarget(kind: kind, name: name))
        #expect(target.description == canonical)
        #expect(try ForwardTarget(parsing: canonical) == target)
    }

    @Test(arguments: [
        ("", "the target is empty"),
        ("job/x", "unknown target kind \"job\" in \"job/x\""),
        ("svc/", "target \"svc/\" has no name after \"/\""),
        ("/web", "unknown target kind \"\" in \"/web\""),
        ("svc/a/b", "has more than one \"/\""),
        ("service.apps/web", "unknown target kind \"service.apps\""),
        ("Web", "invalid pod name \"Web\" in target \"Web\": names are lowercase"),
        ("svc/-web", "names start and end with a letter or digit"),
        ("deploy/we_b", "names contain only lowercase letters, digits, '-' and '.'"),
    ])
    func badTargetsSayWhatIsWrong(text: String, problem: String) {
        #expect(throws: ForwardSyntaxError.self) { try ForwardTarget(parsing: text) }
        do {
            _ = try ForwardTarget(parsing: text)
        } catch {
            #expect(error.message.contains(problem), "\(error)")
        }
        #expect(ForwardTarget.Kind.statefulSet.resource == "statefulsets" && ForwardTarget.Kind.statefulSet.group == "apps")
        #expect(ForwardTarget.Kind.service.kindName == "Service" && ForwardTarget.Kind.service.group == "")
    }

    @Test func listenerEndpoints() {
        #expect(listener.localEndpoint == "[::1]:40123")
        #expect(ForwardListener(address: "127.0.0.1", port: 80, remotePort: .number(80)).localEndpoint == "127.0.0.1:80")
        #expect(ForwardRemotePort.number(80).description == "80" && ForwardRemotePort.name("http").description == "http")
    }
}
