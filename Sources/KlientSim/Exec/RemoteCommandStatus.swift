import KlientHTTP
import KlientWire

/// The `metav1.Status` an exec or attach session ends with, encoded the way
/// the kubelet does it (Go's `json.Marshal` of `metav1.Status`: fields in
/// struct order, empty ones omitted, `"metadata":{}` always present, no kind
/// or apiVersion on the error channel).
///
/// Texts follow kubernetes `pkg/kubelet/cri/streaming/remotecommand/exec.go`
/// (`ServeExec`), `attach.go` (`ServeAttach`) and containerd's exec error
/// (`error executing command %v, exit code %d`).
public struct RemoteCommandStatus: Sendable, Hashable {
    /// One `details.causes` entry: `Type` is marshalled as `reason`.
    public struct Cause: Sendable, Hashable {
        public var reason: String?
        public var message: String
    }

    public var isSuccess: Bool
    public var message: String?
    public var reason: String?
    public var causes: [Cause]
    public var code: Int?

    /// `{"metadata":{},"status":"Success"}`.
    public static let success = RemoteCommandStatus(isSuccess: true, message: nil, reason: nil, causes: [], code: nil)

    /// A process that exited with a non-zero code: reason NonZeroExitCode and
    /// the ExitCode cause first (clients read `causes[0]`).
    public static func nonZeroExit(code: Int32, command: [String]) -> RemoteCommandStatus {
        // Go's %v of a []string: elements joined by spaces inside brackets.
        let exitError = "error executing command [\(command.joined(separator: " "))], exit code \(code)"
        return RemoteCommandStatus(
            isSuccess: false, message: "command terminated with non-zero exit code: \(exitError)",
            reason: "NonZeroExitCode", causes: [Cause(reason: "ExitCode", message: String(code))], code: nil)
    }

    /// `apierrors.NewInternalError(err)`: code 500, reason InternalError,
    /// message "Internal error occurred: <err>", one cause carrying `<err>`.
    public static func internalError(_ error: String) -> RemoteCommandStatus {
        RemoteCommandStatus(isSuccess: false, message: "Internal error occurred: \(error)", reason: "InternalError",
                            causes: [Cause(reason: nil, message: error)], code: 500)
    }

    /// The exit status a channel-3 Status of this shape reports (0 for success).
    public var exitCode: Int32? {
        if isSuccess { return 0 }
        guard reason == "NonZeroExitCode", let first = causes.first, first.reason == "ExitCode" else { return nil }
        return Int32(first.message)
    }

    /// The JSON bytes (v4/v5 error channel).
    public func jsonBytes() -> [UInt8] {
        var out = "{\"metadata\":{},\"status\":\"" + (isSuccess ? "Success" : "Failure") + "\""
        if let message, !message.isEmpty { out += ",\"message\":" + GoJSON.quote(message) }
        if let reason, !reason.isEmpty { out += ",\"reason\":" + GoJSON.quote(reason) }
        if !causes.isEmpty {
            let items = causes.map { cause in
                (cause.reason.map { "{\"reason\":" + GoJSON.quote($0) + "," } ?? "{")
                    + "\"message\":" + GoJSON.quote(cause.message) + "}"
            }
            out += ",\"details\":{\"causes\":[" + items.joined(separator: ",") + "]}"
        }
        if let code, code != 0 { out += ",\"code\":\(code)" }
        return Array((out + "}").utf8)
    }

    /// What v1–v3 protocols write on the error stream: the message for a
    /// failure, nothing for success (`v1WriteStatusFunc`).
    public func plainTextBytes() -> [UInt8] {
        isSuccess ? [] : Array((message ?? "").utf8)
    }
}

/// An HTTP error answered before any upgrade, as the API server does: a full
/// `Status` with kind, apiVersion and code.
enum RemoteCommandHTTPError {
    static func status(_ code: Int, reason: String, message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        let body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
            + GoJSON.quote(message) + ",\"reason\":" + GoJSON.quote(reason) + ",\"code\":\(code)}\n"
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPServerResponse(status: code, headers: headers, body: Array(body.utf8))
    }

    static func badRequest(_ message: String) -> HTTPServerResponse {
        status(400, reason: "BadRequest", message: message)
    }

    /// A plain-text refusal as the kubelet's `http.Error` writes it (proxied unchanged by the API server).
    static func text(_ code: Int, _ message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        var headers = headers
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return HTTPServerResponse(status: code, headers: headers, body: Array((message + "\n").utf8))
    }
}

/// Go `encoding/json` string quoting, including its HTML-safe escapes
/// (`<`, `>`, `&` as \u003c, \u003e, \u0026) and U+2028/U+2029.
enum GoJSON {
    static func quote(_ text: String) -> String {
        let hex: [Character] = Array("0123456789abcdef")
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                let v = scalar.value
                out += "\\u" + String([hex[Int(v >> 12 & 0xF)], hex[Int(v >> 8 & 0xF)], hex[Int(v >> 4 & 0xF)], hex[Int(v & 0xF)]])
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + String([hex[Int(scalar.value >> 4)], hex[Int(scalar.value & 0xF)]])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
