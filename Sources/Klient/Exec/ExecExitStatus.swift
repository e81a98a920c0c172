import KlientWire

/// How the remote command ended, from the Status the server writes on the
/// error channel (3) before it closes the session.
public struct ExecExitStatus: Sendable, Equatable {
    /// 0 on `Success`; the `ExitCode` cause of a `NonZeroExitCode` failure;
    /// 1 when a failure gives no usable exit code.
    public var code: Int32
    /// The Status message of a failure, e.g. "command terminated with non-zero exit code: …".
    public var message: String?

    public var isSuccess: Bool { code == 0 }

    public init(code: Int32, message: String? = nil) {
        self.code = code
        self.message = message
    }

    /// Reads the error channel's content (a JSON `metav1.Status`, protocols
    /// v4 and v5) the way client-go does:
    /// - nothing at all, or `"status":"Success"` → code 0;
    /// - `"reason":"NonZeroExitCode"` → the decimal `message` of the first
    ///   cause with reason `ExitCode` (1 when missing or not a number);
    /// - any other failure: the command did not run or the runtime failed.
    ///
    /// - Throws: ``ExecError`` of kind ``ExecError/Kind/commandNotFound`` when
    ///   the runtime could not start the command (its message is the
    ///   runtime's), ``ExecError/Kind/protocolViolation`` for bytes that are
    ///   not a Status, ``ExecError/Kind/other`` for other failures.
    public static func parse(errorChannel bytes: [UInt8]) throws(ExecError) -> ExecExitStatus {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return ExecExitStatus(code: 0) }
        guard let json = try? JSONValue.parse(bytes), case .object(let object) = json,
              let status = object["status"]?.stringValue else {
            throw ExecError(.protocolViolation, "the error channel carried \(bytes.count) bytes that are not a Status: "
                            + String(decoding: bytes.prefix(200), as: UTF8.self))
        }
        if status == "Success" { return ExecExitStatus(code: 0) }
        let message = object["message"]?.stringValue ?? ""
        let reason = object["reason"]?.stringValue ?? ""
        if reason == "NonZeroExitCode" {
            let causes = json["details"]?["causes"]?.arrayValue ?? []
            let exitCause = causes.first { $0["reason"]?.stringValue == "ExitCode" }
            // client-go parses the code as a uint8-range integer; keep what fits Int32.
            let code = exitCause?["message"]?.stringValue.flatMap { Int32($0) }
            return ExecExitStatus(code: code ?? 1, message: message.isEmpty ? nil : message)
        }
        if ExecError.isCommandStartFailure(message) {
            throw ExecError(.commandNotFound, "the command could not be started in the container: \(message)")
        }
        throw ExecError(.other, message.isEmpty ? "the exec failed (reason \(reason.isEmpty ? "unknown" : reason))" : message)
    }
}
