import Foundation
import KlientRPC
import KlientWire
import Testing

/// Keeps Protocol/klientd-rpc.md and klientd-rpc.schema.json in step with
/// the code: every example line must be exactly what the codec writes, and
/// its params and results must be what the payload types read.
@Suite struct ProtocolDocumentTests {
    static let protocolDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol")

    static func read(_ name: String) throws -> String {
        try String(contentsOf: protocolDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    /// How to check one method's params and result: decode with the payload
    /// type and re-encode.
    struct MethodTypes {
        let params: @Sendable (JSONValue?) -> Result<JSONValue?, RPCError>
        let result: @Sendable (JSONValue) -> Result<JSONValue, RPCError>
    }

    static func types<P: RPCPayload, R: RPCPayload>(_ params: P.Type, _ result: R.Type) -> MethodTypes {
        MethodTypes(
            params: { value in
                // `.none`, not `nil`: JSONValue is nil-literal expressible.
                guard let value else { return .success(.none) }
                return Result { () throws(RPCError) -> JSONValue? in try P(json: value).json }
            },
            result: { value in Result { () throws(RPCError) -> JSONValue in try R(json: value).json } })
    }

    static func noParams<R: RPCPayload>(_ result: R.Type) -> MethodTypes {
        MethodTypes(
            params: { value in
                guard value == .none || value == .object([:]) else { return .failure(.invalidParams("takes no params")) }
                return .success(value)
            },
            result: { value in Result { () throws(RPCError) -> JSONValue in try R(json: value).json } })
    }

    static let methods: [String: MethodTypes] = [
        RPCMethod.hello: types(HelloParams.self, HelloResult.self),
        RPCMethod.status: noParams(DaemonStatus.self),
        RPCMethod.sessionList: types(SessionListParams.self, SessionListResult.self),
        RPCMethod.sessionStop: types(SessionStopParams.self, SessionStopResult.self),
        RPCMethod.eventsSubscribe: types(EventsSubscribeParams.self, EventsSubscribeResult.self),
        RPCMethod.configReload: noParams(ConfigReloadResult.self),
        RPCMethod.forwardAdd: types(ForwardAddParams.self, ForwardInfo.self),
        RPCMethod.forwardList: noParams(ForwardListResult.self),
        RPCMethod.forwardRemove: types(ForwardRemoveParams.self, ForwardRemoveResult.self),
        RPCMethod.forwardWait: types(ForwardWaitParams.self, ForwardInfo.self),
        RPCMethod.execStart: types(ExecStartParams.self, ExecInfo.self),
        RPCMethod.execResize: types(ExecResizeParams.self, ExecResizeResult.self),
        RPCMethod.execWait: types(ExecWaitParams.self, ExecExitResult.self),
    ]

    @Test func everyExampleLineMatchesTheCode() throws {
        let document = try Self.read("klientd-rpc.md")
        var examples = 0
        var methodsSeen: Set<String> = []
        var requests: [RPCID: (method: String, paramsError: RPCError?)] = [:]
        var rejected: RPCDecodeFailure?
        var replies: [[UInt8]] = []

        for (index, rawLine) in document.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let where_ = "klientd-rpc.md line \(index + 1)"
            let line = rawLine.drop { $0 == " " }
            guard let arrow = ["→ ", "← ", "✗ "].first(where: { line.hasPrefix($0) }) else { continue }
            let text = Array(line.dropFirst(arrow.count).utf8)
            examples += 1

            if arrow == "✗ " {
                guard case .failure(let failure) = RPCCodec.decode(text) else {
                    Issue.record("\(where_): a ✗ line must not decode"); continue
                }
                rejected = failure
                continue
            }
            let message: RPCMessage
            switch RPCCodec.decode(text) {
            case .success(let decoded): message = decoded
            case .failure(let failure):
                Issue.record("\(where_): does not decode: \(failure)"); continue
            }
            let encoded = RPCCodec.encode(message)
            #expect(encoded == text + [0x0A], "\(where_): re-encodes as \(String(decoding: encoded, as: UTF8.self))")

            switch (arrow, message) {
            case ("→ ", .request(let request)):
                methodsSeen.insert(request.method)
                guard let types = Self.methods[request.method] else {
                    requests[request.id!] = (request.method, .methodNotFound(request.method))
                    continue
                }
                switch types.params(request.params) {
                case .success(let json):
                    #expect(json == request.params, "\(where_): params re-encode as \(json?.jsonString ?? "nil")")
                    requests[request.id!] = (request.method, nil)
                case .failure(let error):
                    requests[request.id!] = (request.method, error)
                }
            case ("← ", .notification(let notification)):
                methodsSeen.insert(notification.method)
                #expect(notification.method == RPCMethod.event, "\(where_): klientd sends only event notifications")
                let event = try DaemonEvent(params: notification.params)
                #expect(event.json == notification.params, "\(where_): event re-encodes as \(event.json.jsonString)")
                #expect(DaemonEvent.allTypes.contains(event.type), "\(where_): unknown event type \(event.type)")
            case ("← ", .response(let response)):
                replies.append(encoded)
                if let failure = rejected {
                    #expect(response == failure.response, "\(where_): the codec answers \(String(decoding: RPCCodec.encode(.response(failure.response)), as: UTF8.self))")
                    rejected = nil
                    continue
                }
                guard let id = response.id, let request = requests.removeValue(forKey: id) else {
                    // Unsolicited error replies (peer uid, line too long) carry no id.
                    #expect(response.id == nil, "\(where_): no request with this id precedes it")
                    #expect((try? response.result.get()) == nil, "\(where_): a reply without request must be an error")
                    continue
                }
                if let expected = request.paramsError {
                    #expect(response.result == .failure(expected), "\(where_): the params check gives \(expected)")
                } else if case .success(let value) = response.result {
                    switch Self.methods[request.method]!.result(value) {
                    case .success(let json): #expect(json == value, "\(where_): result re-encodes as \(json.jsonString)")
                    case .failure(let error): Issue.record("\(where_): result does not decode: \(error)")
                    }
                }
            default:
                Issue.record("\(where_): \(arrow)is the wrong direction for \(message)")
            }
        }
        #expect(rejected == nil, "a ✗ line needs its ← reply")
        #expect(requests.isEmpty, "requests without replies: \(requests.keys)")
        #expect(examples >= 40)
        for method in RPCMethod.all {
            #expect(methodsSeen.contains(method), "no example for \(method)")
        }
        #expect(replies.contains(RPCCodec.encode(.response(RPCDecodeFailure.lineTooLong.response))),
                "the line-too-long reply is documented as sent")
    }

    @Test func errorTableListsEveryReasonWithItsCode() throws {
        let document = try Self.read("klientd-rpc.md")
        for reason in RPCErrorReason.known {
            #expect(document.contains("| \(reason.code) | `\(reason.rawValue)` |"), "\(reason) is missing from the table")
        }
        for code in [-32700, -32600, -32601, -32602, -32603] {
            #expect(document.contains("| \(code) |"))
        }
        #expect(document.contains("1 MiB"))
        #expect(document.contains("# klientd control protocol (version \(RPCProtocol.version))"))
    }

    @Test func schemaParsesAndNamesEveryMethod() throws {
        let schema = try JSONValue.parse(try Self.read("klientd-rpc.schema.json"))
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["x-protocolVersion"]?.intValue == Int64(RPCProtocol.version))
        #expect(schema["x-maxLineLength"]?.intValue == Int64(RPCProtocol.maxLineLength))

        var constants: Set<String> = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if case .string(let s)? = members["const"] { constants.insert(s) }
                members.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(schema)
        for method in RPCMethod.all {
            #expect(constants.contains(method), "the schema does not name \(method)")
            #expect(schema[path: ["$defs", "methods", "properties", method]] != nil, "no $defs/methods entry for \(method)")
        }
        let definitions = schema["$defs"]?.objectValue ?? [:]
        for name in ["HelloParams", "HelloResult", "DaemonStatus", "SessionInfo", "SessionListParams", "SessionListResult",
                     "SessionStopParams", "SessionStopResult", "EventsSubscribeParams", "EventsSubscribeResult",
                     "DaemonEvent", "ConfigReloadResult", "ForwardPortSpec", "ForwardAddParams", "ForwardListener",
                     "ForwardInfo", "ForwardListResult", "ForwardRemoveParams", "ForwardRemoveResult", "ForwardWaitParams",
                     "forwardRemotePort", "TerminalSize", "ExecStartParams", "ExecInfo", "ExecResizeParams",
                     "ExecResizeResult", "ExecWaitParams", "ExecExitResult", "request", "notification", "response", "error"] {
            #expect(definitions[name] != nil, "$defs/\(name) is missing")
        }
        let codes = schema[path: ["$defs", "errorReason", "x-codes"]]?.objectValue ?? [:]
        for reason in RPCErrorReason.known {
            #expect(codes[reason.rawValue]?.intValue == Int64(reason.code), "x-codes for \(reason)")
        }
    }

    /// The schema's required members are exactly the non-optional fields:
    /// an object with only them decodes, and dropping any one fails naming it.
    @Test func schemaRequiredMembersMatchThePayloadTypes() throws {
        let schema = try JSONValue.parse(try Self.read("klientd-rpc.schema.json"))
        let samples: [(String, JSONValue, (JSONValue) -> RPCError?)] = [
            ("HelloParams", HelloParams(protocolVersion: 1, client: "c").json, { Self.error(HelloParams.self, $0) }),
            ("HelloResult", HelloResult(protocolVersion: 1, daemonVersion: "v", pid: 1).json, { Self.error(HelloResult.self, $0) }),
            ("SessionStopParams", SessionStopParams(id: "s").json, { Self.error(SessionStopParams.self, $0) }),
            ("SessionStopResult", SessionStopResult(id: "s", stopped: true).json, { Self.error(SessionStopResult.self, $0) }),
            ("SessionListParams", SessionListParams().json, { Self.error(SessionListParams.self, $0) }),
            ("SessionListResult", SessionListResult(sessions: []).json, { Self.error(SessionListResult.self, $0) }),
            ("EventsSubscribeParams", EventsSubscribeParams().json, { Self.error(EventsSubscribeParams.self, $0) }),
            ("EventsSubscribeResult", EventsSubscribeResult(subscribed: true).json, { Self.error(EventsSubscribeResult.self, $0) }),
            ("SessionInfo", SessionInfo(id: "s", kind: "forward", target: "t", state: "ready", startedAt: "t", bytesIn: 0, bytesOut: 0).json,
             { Self.error(SessionInfo.self, $0) }),
            ("DaemonEvent", DaemonEvent(type: "x", time: "t").json, { Self.error(DaemonEvent.self, $0) }),
            ("ConfigReloadResult", ConfigReloadResult(contexts: [], kubeconfig: []).json, { Self.error(ConfigReloadResult.self, $0) }),
            ("ForwardPortSpec", ForwardPortSpec(remote: .number(80)).json, { Self.error(ForwardPortSpec.self, $0) }),
            ("ForwardAddParams", Self.withoutDefaults(ForwardAddParams(target: "svc/web", ports: [ForwardPortSpec(remote: .name("http"))]).json),
             { Self.error(ForwardAddParams.self, $0) }),
            ("ForwardListener", ForwardListener(address: "::1", port: 1, remotePort: .number(80)).json,
             { Self.error(ForwardListener.self, $0) }),
            ("ForwardInfo", ForwardInfo(id: "f", context: "c", namespace: "n", target: "pod/p", state: "ready", listeners: [],
                                        createdAt: "t").json, { Self.error(ForwardInfo.self, $0) }),
            ("ForwardListResult", ForwardListResult(forwards: []).json, { Self.error(ForwardListResult.self, $0) }),
            ("ForwardRemoveParams", Self.withoutDefaults(ForwardRemoveParams().json), { Self.error(ForwardRemoveParams.self, $0) }),
            ("ForwardRemoveResult", ForwardRemoveResult(removed: []).json, { Self.error(ForwardRemoveResult.self, $0) }),
            ("ForwardWaitParams", ForwardWaitParams(ref: "f").json, { Self.error(ForwardWaitParams.self, $0) }),
            ("TerminalSize", TerminalSize(width: 80, height: 24).json, { Self.error(TerminalSize.self, $0) }),
            ("ExecStartParams", Self.withoutDefaults(ExecStartParams(target: "web-0", command: ["true"]).json),
             { Self.error(ExecStartParams.self, $0) }),
            ("ExecInfo", ExecInfo(id: "e-1", kind: "exec", context: "c", namespace: "n", pod: "p", subprotocol: "s").json,
             { Self.error(ExecInfo.self, $0) }),
            ("ExecResizeParams", ExecResizeParams(id: "e-1", width: 80, height: 24).json, { Self.error(ExecResizeParams.self, $0) }),
            ("ExecResizeResult", ExecResizeResult(id: "e-1", resized: true).json, { Self.error(ExecResizeResult.self, $0) }),
            ("ExecWaitParams", ExecWaitParams(id: "e-1").json, { Self.error(ExecWaitParams.self, $0) }),
            ("ExecExitResult", ExecExitResult(id: "e-1", end: "stopped").json, { Self.error(ExecExitResult.self, $0) }),
            ("DaemonStatus", DaemonStatus(
                daemonVersion: "v", protocolVersion: 1, pid: 1, startedAt: "t", uptimeSeconds: 0, socket: "s",
                socketActivated: false, stateDirectory: "d", kubeconfig: [], contexts: [], sessions: 0, forwards: 0,
                connections: 0, clients: 0, summary: "").json, { Self.error(DaemonStatus.self, $0) }),
        ]
        for (name, minimal, check) in samples {
            let required = Set((schema[path: ["$defs", name, "required"]]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(Set(minimal.objectValue!.keys) == required, "\(name): schema requires \(required.sorted())")
            #expect(check(minimal) == nil)
            for key in required {
                var without = minimal
                without[key] = nil
                #expect(check(without)?.message.contains("\"\(key)\" is missing") == true, "\(name) without \(key)")
            }
            let properties = Set(schema[path: ["$defs", name, "properties"]]?.objectValue?.keys.map { $0 } ?? [])
            #expect(properties.isSuperset(of: required), "\(name): every required member is described")
        }
    }

    /// `json` without the members that have a default (`persist`, `mode`, `all`,
    /// `stdin`, `tty`, `attach`): optional on the wire although always written.
    static func withoutDefaults(_ json: JSONValue) -> JSONValue {
        var json = json
        for key in ["persist", "mode", "all", "stdin", "tty", "attach"] { json[key] = nil }
        return json
    }

    static func error<P: RPCPayload>(_ type: P.Type, _ json: JSONValue) -> RPCError? {
        do {
            _ = try P(json: json)
            return nil
        } catch {
            return error
        }
    }
}
