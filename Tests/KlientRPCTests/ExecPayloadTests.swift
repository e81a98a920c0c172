import Foundation
import KlientRPC
import KlientWire
import Testing

@Suite struct ExecPayloadTests {
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

    @Test func everyExecPayloadRoundTrips() throws {
        try roundTrip(ExecStartParams(target: "web-0", command: ["sh", "-c", "exit 42"]))
        try roundTrip(ExecStartParams(context: "prod", namespace: "shop", target: "deploy/cart", container: "app",
                                      command: ["sh"], stdin: true, tty: true,
                                      terminalSize: TerminalSize(width: 132, height: 50)))
        try roundTrip(ExecStartParams(target: "pod/worker-0", command: [], stdin: true, attach: true))
        try roundTrip(ExecInfo(id: "e-1", kind: "exec", context: "c", namespace: "n", pod: "p", container: "app",
                               subprotocol: "v5.channel.k8s.io"))
        try roundTrip(ExecInfo(id: "e-1", kind: "attach", context: "c", namespace: "n", pod: "p", subprotocol: "v4.channel.k8s.io"))
        try roundTrip(ExecResizeParams(id: "e-1", width: 0, height: 65535))
        try roundTrip(ExecResizeResult(id: "e-1", resized: false))
        try roundTrip(ExecWaitParams(id: "e-1"))
        try roundTrip(ExecExitResult(id: "e-1", end: ExecEnd.exited, exitCode: 42, message: "m"))
        try roundTrip(ExecExitResult(id: "e-1", end: ExecEnd.outputClosed))
    }

    @Test func startParamsAreChecked() {
        let base: JSONValue = ["target": "web-0", "command": ["true"]]
        #expect(message(ExecStartParams.self, base) == nil)
        var json = base
        json["command"] = nil
        #expect(message(ExecStartParams.self, json) == "invalid params: \"command\" is missing; it must be an array of strings")
        json["command"] = []
        #expect(message(ExecStartParams.self, json)?.contains("\"command\" must name the program") == true)
        json["command"] = [""]
        #expect(message(ExecStartParams.self, json)?.contains("\"command[0]\" must not be empty") == true)
        json = base
        json["attach"] = true
        #expect(message(ExecStartParams.self, json)?.contains("must be empty with attach") == true)
        json["command"] = []
        #expect(message(ExecStartParams.self, json) == nil)
        json = base
        json["target"] = "cm/x"
        #expect(message(ExecStartParams.self, json)?.contains("\"target\" is not a valid target") == true)
        json = base
        json["terminalSize"] = ["width": 80, "height": 70000]
        #expect(message(ExecStartParams.self, json)?.contains("\"terminalSize.height\" must be an integer between 0 and 65535") == true)
        json = base
        json["container"] = ""
        #expect(message(ExecStartParams.self, json)?.contains("\"container\" must not be empty") == true)
        json = base
        json["tty"] = "yes"
        #expect(message(ExecStartParams.self, json)?.contains("\"tty\" must be true or false") == true)
    }

    @Test func resizeParamsAreChecked() {
        #expect(message(ExecResizeParams.self, ["id": "e-1", "width": -1, "height": 1])?.contains("\"width\" must be an integer between 0 and 65535") == true)
        #expect(message(ExecResizeParams.self, ["width": 1, "height": 1]) == "invalid params: \"id\" is missing; it must be a string")
    }
}
