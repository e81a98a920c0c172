@testable import Klient
import KlientWire
import Testing

/// The pure parts of exec/attach: exit status from the error channel's
/// Status, refusal → ExecError, container choice, query and message bytes.
@Suite("Exec: status, errors, container choice, bytes")
struct ExecProtocolTests {
    // MARK: exit status

    @Test func successIsZero() throws {
        #expect(try ExecExitStatus.parse(errorChannel: Array(#"{"metadata":{},"status":"Success"}"#.utf8)) == ExecExitStatus(code: 0))
        #expect(try ExecExitStatus.parse(errorChannel: []) == ExecExitStatus(code: 0), "no Status at all is success (client-go)")
    }

    @Test func nonZeroExitCodeComesFromTheExitCodeCause() throws {
        let status = #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 42","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"42"}]}}"#
        let parsed = try ExecExitStatus.parse(errorChannel: Array(status.utf8))
        #expect(parsed.code == 42)
        #expect(!parsed.isSuccess)
        #expect(parsed.message == "command terminated with non-zero exit code: exit status 42")
    }

    @Test func theExitCodeCauseNeedNotBeFirst() throws {
        let status = #"{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"Other","message":"x"},{"reason":"ExitCode","message":"7"}]}}"#
        #expect(try ExecExitStatus.parse(errorChannel: Array(status.utf8)).code == 7)
    }

    @Test func aNonZeroExitWithoutACodeIsOne() throws {
        let status = #"{"status":"Failure","reason":"NonZeroExitCode","message":"m"}"#
        #expect(try ExecExitStatus.parse(errorChannel: Array(status.utf8)) == ExecExitStatus(code: 1, message: "m"))
        let bad = #"{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"x"}]}}"#
        #expect(try ExecExitStatus.parse(errorChannel: Array(bad.utf8)).code == 1)
    }

    @Test func aRuntimeStartFailureIsCommandNotFound() {
        let status = #"{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown","reason":"InternalError","code":500}"#
        let error = #expect(throws: ExecError.self) { try ExecExitStatus.parse(errorChannel: Array(status.utf8)) }
        #expect(error?.kind == .commandNotFound)
        #expect(error?.message.contains("executable file not found in $PATH") == true)
    }

    @Test func otherFailuresAndGarbage() {
        let other = #"{"status":"Failure","message":"Internal error occurred: boom","reason":"InternalError","code":500}"#
        #expect((try? ExecExitStatus.parse(errorChannel: Array(other.utf8))) == nil)
        let error = #expect(throws: ExecError.self) { try ExecExitStatus.parse(errorChannel: Array(other.utf8)) }
        #expect(error?.kind == .other)
        #expect(error?.message == "Internal error occurred: boom")
        let garbage = #expect(throws: ExecError.self) { try ExecExitStatus.parse(errorChannel: Array("plain text".utf8)) }
        #expect(garbage?.kind == .protocolViolation)
    }

    // MARK: refusals

    static func pod(_ containers: [String], phase: String = "Running", defaultContainer: String? = nil) -> JSONValue {
        var metadata: JSONValue = ["name": "web-0"]
        if let defaultContainer {
            metadata["annotations"] = ["kubectl.kubernetes.io/default-container": .string(defaultContainer)]
        }
        return ["metadata": metadata,
                "spec": ["containers": .array(containers.map { ["name": .string($0)] })],
                "status": ["phase": .string(phase)]]
    }

    static func apiError(_ code: Int, _ reason: String, _ message: String, kind: String? = nil) -> APIError {
        APIError(status: APIStatus(message: message, reason: reason, code: code,
                                   details: kind.map { APIStatus.Details(kind: $0) }),
                 method: "GET", path: "/api/v1/namespaces/default/pods/web-0/exec")
    }

    static let request = ExecError.Request(namespace: "default", pod: "web-0", subresource: "exec", container: nil)

    @Test func forbiddenNamesTheVerbAndSubresource() {
        let error = ExecError.refusal(
            Self.apiError(403, "Forbidden", #"pods "web-0" is forbidden: User "viewer" cannot get resource "pods/exec" in API group "" in the namespace "default""#),
            request: Self.request, pod: nil)
        #expect(error.kind == .forbidden)
        #expect(error.message.contains("create pods/exec"), "\(error.message)")
        #expect(error.message.contains("User \"viewer\""), "the server's words are kept: \(error.message)")
        #expect(error.status?.code == 403)
        var attach = Self.request
        attach.subresource = "attach"
        #expect(ExecError.refusal(Self.apiError(403, "Forbidden", "no"), request: attach, pod: nil).message.contains("create pods/attach"))
    }

    @Test func podNotFound() {
        let error = ExecError.refusal(Self.apiError(404, "NotFound", #"pods "web-0" not found"#, kind: "pods"),
                                      request: Self.request, pod: nil)
        #expect(error.kind == .podNotFound)
        #expect(error.message == "pod web-0 not found in namespace default")
    }

    @Test func containerNotFoundListsTheContainers() {
        var request = Self.request
        request.container = "db"
        let error = ExecError.refusal(Self.apiError(400, "BadRequest", "container db is not valid for pod web-0"),
                                      request: request, pod: Self.pod(["app", "sidecar"]))
        #expect(error.kind == .containerNotFound)
        #expect(error.message == "container db not found in pod web-0 in namespace default; its containers: app, sidecar")
    }

    @Test func severalContainersMustBeChosen() {
        let message = "a container name must be specified for pod web-0, choose one of: [app sidecar]"
        let error = ExecError.refusal(Self.apiError(400, "BadRequest", message), request: Self.request, pod: Self.pod(["app", "sidecar"]))
        #expect(error.kind == .containerNotChosen)
        #expect(error.message.hasPrefix("pod web-0 has 2 containers (app, sidecar): choose one with -c"), "\(error.message)")
        // Without the pod object the server's text is kept.
        let bare = ExecError.refusal(Self.apiError(400, "BadRequest", message), request: Self.request, pod: nil)
        #expect(bare.kind == .containerNotChosen)
        #expect(bare.message.contains("choose one of: [app sidecar]"))
    }

    @Test func podNotRunningGivesThePhase() {
        var request = Self.request
        request.container = "app"
        let pending = ExecError.refusal(Self.apiError(400, "BadRequest", "pod web-0 does not have a host assigned"),
                                        request: request, pod: Self.pod(["app"], phase: "Pending"))
        #expect(pending.kind == .podNotRunning)
        #expect(pending.message.hasPrefix("pod web-0 in namespace default is not running (phase Pending)"), "\(pending.message)")
        let completed = ExecError.refusal(
            Self.apiError(400, "BadRequest", "cannot exec into a container in a completed pod; current phase is Succeeded"),
            request: request, pod: nil)
        #expect(completed.kind == .podNotRunning)
        #expect(completed.message.contains("current phase is Succeeded"))
    }

    @Test func otherRefusalsKeepTheServerMessage() {
        var request = Self.request
        request.container = "app"
        let error = ExecError.refusal(Self.apiError(500, "InternalError", "etcd is on fire"), request: request, pod: Self.pod(["app"]))
        #expect(error.kind == .other)
        #expect(error.message == "exec in pod web-0 in namespace default was refused (HTTP 500): etcd is on fire")
    }

    // MARK: container choice

    @Test func defaultContainer() throws {
        #expect(try ExecError.defaultContainer(of: Self.pod(["only"]), podName: "p") == "only")
        #expect(try ExecError.defaultContainer(of: Self.pod(["app", "sidecar"], defaultContainer: "sidecar"), podName: "p") == "sidecar")
        let unannotated = #expect(throws: ExecError.self) {
            try ExecError.defaultContainer(of: Self.pod(["app", "sidecar"]), podName: "p")
        }
        #expect(unannotated?.kind == .containerNotChosen)
        #expect(unannotated?.message.contains("(app, sidecar)") == true)
        // An annotation naming no container of the pod is ignored, as kubectl does.
        let stale = #expect(throws: ExecError.self) {
            try ExecError.defaultContainer(of: Self.pod(["app", "sidecar"], defaultContainer: "gone"), podName: "p")
        }
        #expect(stale?.kind == .containerNotChosen)
    }

    // MARK: request and message bytes

    @Test func queryIsKubectls() {
        var options = ExecOptions()
        options.stdin = true
        let exec = KubernetesClient.remoteCommandQuery(command: ["sh", "-c", "echo hi"], options: options, container: "app")
        #expect(exec.map { "\($0.name)=\($0.value)" } == ["command=sh", "command=-c", "command=echo hi", "container=app",
                                                          "stderr=true", "stdin=true", "stdout=true"])
        options.tty = true
        options.stdin = false
        let attach = KubernetesClient.remoteCommandQuery(command: nil, options: options, container: nil)
        #expect(attach.map { "\($0.name)=\($0.value)" } == ["stdout=true", "tty=true"], "tty drops stderr")
    }

    @Test func messagesAreByteExact() {
        #expect(ExecSession.stdinCloseMessage == [0xFF, 0x00])
        #expect(ExecSession.resizeMessage(ExecTerminalSize(width: 100, height: 40)) == [0x04] + Array(#"{"Width":100,"Height":40}"#.utf8) + [0x0A])
        #expect(ExecSession.stdinMessage([0x00, 0xFF, 0x0A][...]) == [0x00, 0x00, 0xFF, 0x0A])
        #expect(ExecSession.stdinMessage([][...]) == [0x00])
        #expect(KubernetesChannelProtocol.execOffer.map(\.rawValue) == ["v5.channel.k8s.io", "v4.channel.k8s.io"])
    }

    @Test func v4CannotCloseStdinAndSaysSo() {
        let error = ExecSession.stdinCloseUnsupported(.v4)
        #expect(error.kind == .stdinCloseUnsupported)
        #expect(error.message.contains("v4.channel.k8s.io, which cannot half-close stdin"))
    }
}
