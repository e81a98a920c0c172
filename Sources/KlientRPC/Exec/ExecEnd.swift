/// The values of ``ExecExitResult/end``: how an exec or attach session ended
/// (open set: treat an unknown value like `stopped` and show `message`).
public enum ExecEnd {
    /// The remote command (or the attached process) ended; `exitCode` is its status.
    public static let exited = "exited"
    /// `session.stop`, or klientd shutting down, ended the session first.
    public static let stopped = "stopped"
    /// Writing to the client's stdout or stderr failed because its reader went
    /// away (EPIPE, e.g. `| head`); klientd closed the session.
    public static let outputClosed = "outputClosed"

    public static let all = [exited, stopped, outputClosed]
}

/// Exec and attach session descriptors: what travels with `exec.start`.
public enum ExecDescriptors {
    /// `exec.start` carries exactly this many descriptors (SCM_RIGHTS): the
    /// client's stdin, stdout and stderr, in that order.
    public static let count = 3
}
