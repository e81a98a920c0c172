import Foundation
import KlientHTTP
import KlientIO
import KlientSim
import KlientWire
import Testing

private let success = #"{"metadata":{},"status":"Success"}"#
private func exitStatus(_ command: String, _ code: Int) -> String {
    #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [\#(command)], exit code \#(code)","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"\#(code)"}]}}"#
}

@Suite("Exec over WebSocket")
struct ExecWebSocketTests {
    @Test func stdoutStderrAndSuccessStatus() async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["sh", "-c", "echo out; echo err >&2; pwd; echo \"$GREETING\""])
                                               + "&stdout=true&stderr=true")
        #expect(socket.subprotocol == "v5.channel.k8s.io")
        let transcript = try await readTranscript(socket)
        #expect(transcript.messages.first.map { [$0.channel] + $0.payload } == [1], "the initial empty stdout message")
        #expect(transcript.text(1) == "out\n\(harness.pod.workingDirectory)\nhi from env\n")
        #expect(transcript.text(2) == "err\n")
        #expect(transcript.text(3) == success)
        #expect(transcript.closeCode == .normalClosure)
        // The upgraded stream was registered and is unregistered once the session ends.
        for _ in 0..<1000 where harness.registry.count != 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(harness.registry.count == 0)
    }

    @Test(arguments: [3, 42])
    func nonZeroExitStatusIsExact(_ code: Int) async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["sh", "-c", "exit \(code)"]) + "&stdout=true&stderr=true",
                                               subprotocols: ["v4.channel.k8s.io"])
        #expect(socket.subprotocol == "v4.channel.k8s.io")
        let transcript = try await readTranscript(socket)
        #expect(transcript.text(3) == exitStatus("sh -c exit \(code)", code))
        #expect(transcript.closeCode == .normalClosure)
    }

    @Test func statusEscapesLikeGo() async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["sh", "-c", "echo \"<&>\" > /dev/null; exit 1"]) + "&stdout=true")
        let transcript = try await readTranscript(socket)
        #expect(transcript.text(3).contains(#"[sh -c echo \"\u003c\u0026\u003e\" \u003e /dev/null; exit 1], exit code 1"#), "\(transcript.text(3))")
    }

    @Test func stdinRoundTripEndsWithV5Close() async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["cat"]) + "&stdin=true&stdout=true&stderr=true")
        let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try await socket.send(binary: [0] + payload.prefix(50_000))
        try await socket.send(text: "\u{0}") // an empty stdin message as TEXT: accepted and ignored
        try await socket.send(binary: [0] + payload.suffix(50_000))
        try await socket.send(binary: [0xFF, 0])
        let transcript = try await readTranscript(socket)
        #expect(transcript.bytes(1) == payload)
        #expect(transcript.text(3) == success)
    }

    @Test func textFramesFromTheClientCarryStdin() async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["sh", "-c", "read line; echo got:$line"]) + "&stdin=True&stdout=True&stderr=False",
                                               subprotocols: ["v4.channel.k8s.io"])
        try await socket.send(text: "\u{0}hello\n") // what the Python client sends for a str
        let transcript = try await readTranscript(socket)
        #expect(transcript.text(1) == "got:hello\n")
        #expect(transcript.count(2) == 0)
    }

    @Test func clientOfferOrderDecides() async throws {
        let harness = try ExecHarness()
        let query = commandQuery(["true"]) + "&stdout=true"
        for (offer, expected) in [(["v4.channel.k8s.io", "v5.channel.k8s.io"], "v4.channel.k8s.io"),
                                  (["v5.channel.k8s.io", "v4.channel.k8s.io"], "v5.channel.k8s.io"),
                                  (["x.example", "channel.k8s.io", "v4.channel.k8s.io"], "channel.k8s.io")] {
            let socket = try await harness.connect(query, subprotocols: offer)
            #expect(socket.subprotocol == expected)
            _ = try await readTranscript(socket)
        }
    }

    @Test func channelV1WritesPlainTextOnlyOnFailure() async throws {
        let harness = try ExecHarness()
        let ok = try await readTranscript(harness.connect(commandQuery(["true"]) + "&stdout=true", subprotocols: ["channel.k8s.io"]))
        #expect(ok.count(3) == 0)
        #expect(ok.closeCode == .normalClosure)
        let failed = try await readTranscript(harness.connect(commandQuery(["sh", "-c", "exit 3"]) + "&stdout=true",
                                                              subprotocols: ["channel.k8s.io"]))
        #expect(failed.text(3) == "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3")
    }

    @Test func base64ProtocolUsesTextFrames() async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["echo", "hi"]) + "&stdout=true", subprotocols: ["v4.base64.channel.k8s.io"])
        var texts: [String] = []
        while let message = try await socket.receive() {
            if case .text(let text) = message { texts.append(text) }
        }
        #expect(texts.first == "1")
        #expect(texts.contains("1" + Data("hi\n".utf8).base64EncodedString()))
        #expect(texts.contains("3" + Data(success.utf8).base64EncodedString()))
    }

    @Test func ttyAndResize() async throws {
        let harness = try ExecHarness()
        let socket = try await harness.connect(commandQuery(["sh", "-c", "test -t 0 && echo is-tty; stty size; read go; stty size"])
                                               + "&stdin=true&stdout=true&stderr=true&tty=true")
        var transcript = try await readTranscript(socket) { $0.text(1).contains("24 80") }
        #expect(transcript.text(1).contains("is-tty"))
        try await socket.send(binary: [4] + KubernetesTerminalSize(width: 100, height: 40).jsonBytes())
        try await socket.send(binary: [0] + Array("go\n".utf8))
        let rest = try await readTranscript(socket)
        transcript.messages += rest.messages
        #expect(transcript.text(1).contains("40 100"), "\(transcript.text(1))")
        #expect(transcript.count(2) == 0, "no stderr channel with a tty")
        #expect(transcript.text(3) == success)
    }

    @Test func missingExecutableIsAnInternalErrorStatus() async throws {
        let harness = try ExecHarness()
        let transcript = try await readTranscript(harness.connect(commandQuery(["no-such-binary-xyz"]) + "&stdout=true"))
        let status = transcript.text(3)
        #expect(status.hasPrefix(#"{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: "#), "\(status)")
        #expect(status.contains(#"exec: \"no-such-binary-xyz\": executable file not found in $PATH"#))
        #expect(status.hasSuffix(#""reason":"InternalError","details":{"causes":[{"message":"error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"no-such-binary-xyz\": executable file not found in $PATH: unknown"}]},"code":500}"#), "\(status)")
    }

    @Test func validationErrorsAreStatus400() async throws {
        let two = try ExecHarness(containers: ["app", "sidecar"])
        let (head, body) = try await two.plainRequest("GET", commandQuery(["true"]) + "&stdout=true",
                                                      headers: ["Connection: Upgrade", "Upgrade: websocket"])
        #expect(head.hasPrefix("HTTP/1.1 400"))
        #expect(body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"a container name must be specified for pod web-1, choose one of: [app sidecar]","reason":"BadRequest","code":400}"# + "\n")
        let wrong = try await two.plainRequest("GET", commandQuery(["true"]) + "&stdout=true&container=nope")
        #expect(wrong.body.contains(#""message":"container nope is not valid for pod web-1""#))
        let none = try await two.plainRequest("GET", commandQuery(["true"]) + "&container=app&stdout=false&stdin=0")
        #expect(none.head.hasPrefix("HTTP/1.1 400"))
        #expect(none.body.contains(#""message":"you must specify at least 1 of stdin, stdout, stderr""#))
        let notUpgrade = try await two.plainRequest("POST", commandQuery(["true"]) + "&container=app&stdout=1")
        #expect(notUpgrade.body.contains(#""message":"Upgrade request required""#))
    }

    @Test func attachBridgesToTheRunningProcess() async throws {
        let attachment = FakeAttachment()
        let harness = try ExecHarness(runtime: FakeRuntime(attachment: attachment))
        let socket = try await harness.connect("stdin=true&stdout=true&stderr=true", subresource: "attach")
        // Wait for the bridge to subscribe, then produce output.
        var transcript = try await readTranscript(socket) { $0.messages.count == 1 }
        while attachment.subscriberCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        attachment.emit(2, "warming up\n")
        try await socket.send(binary: [0] + Array("ping\n".utf8))
        transcript.messages += try await readTranscript(socket) { $0.text(1) == "PING\n" }.messages
        attachment.closeStdin() // the container's process exits
        transcript.messages += try await readTranscript(socket).messages
        #expect(transcript.text(2) == "warming up\n")
        #expect(transcript.text(1) == "PING\n")
        #expect(transcript.text(3) == success)

        let idle = try ExecHarness(runtime: FakeRuntime(attachment: nil))
        let refused = try await idle.plainRequest("GET", "stdout=true", headers: ["Connection: Upgrade", "Upgrade: websocket"],
                                                  subresource: "attach")
        #expect(refused.head.hasPrefix("HTTP/1.1 404"))
        #expect(refused.body.contains(#""reason":"NotFound""#))
    }
}
