/// A port spec (`8080:80`) or target (`svc/web`) that does not parse. The
/// message says what is wrong and which forms are accepted; klientctl shows
/// it as a usage error, klientd as `invalid params` naming the field.
public struct ForwardSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
