/// Thrown by a command that must exit with a status outside ``ExitCode``:
/// `exec` and `attach` exit with the remote command's status.
/// ``KlientCtl/main(_:environment:console:root:requestTimeout:now:)`` returns
/// `status` and prints nothing.
public struct CommandExit: Error, Sendable, Equatable {
    public var status: Int32

    public init(status: Int32) {
        self.status = status
    }
}
