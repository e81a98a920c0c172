/// What a one-shot ``KubernetesClient/exec(namespace:pod:command:stdin:options:maxOutput:)`` returns.
public struct ExecResult: Sendable {
    /// Everything the command wrote to stdout (binary-safe; with a TTY, stderr too).
    public var stdout: [UInt8]
    /// Everything the command wrote to stderr (empty with a TTY).
    public var stderr: [UInt8]
    /// The remote exit code (see ``ExecExitStatus/code``).
    public var exitCode: Int32

    public init(stdout: [UInt8], stderr: [UInt8], exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}
