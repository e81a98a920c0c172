/// An operation did not finish before its deadline and was cancelled.
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    /// What timed out, as given to ``withTimeout(_:_:reactor:operation:)``.
    public let operation: String?
    /// The time allowed, when the limit was given as a duration.
    public let timeout: Duration?

    /// Describes a timeout of `operation` (nil: "the operation") after `timeout`
    /// (nil: a deadline was given instead).
    public init(operation: String?, timeout: Duration?) {
        self.operation = operation
        self.timeout = timeout
    }

    /// `"<operation> timed out after 50 ms"`.
    public var description: String {
        let what = operation ?? "the operation"
        guard let timeout else { return "\(what) timed out: it did not finish before its deadline" }
        return "\(what) timed out after \(TimeoutError.format(timeout))"
    }

    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if seconds < 10 { return "\(millis) ms" }
        return "\(seconds) s"
    }
}
