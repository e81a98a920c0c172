#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A failed system call: which operation failed, the `errno` it returned, and
/// (where known) the address involved.
///
/// `errno` is classified into a ``Kind`` in exactly one place
/// (``IOError/init(errno:operation:address:)``), and ``description`` says what
/// failed, why (strerror) and, where obvious, what to do.
public struct IOError: Error, Sendable, CustomStringConvertible {
    /// The classes of failure callers branch on. Closed: everything else is
    /// ``other``; look at ``IOError/errno`` for the detail.
    public enum Kind: Sendable, Hashable {
        /// The descriptor was closed before or during the operation (use after close).
        case closed
        /// Nothing accepted the connection (ECONNREFUSED).
        case connectionRefused
        /// The peer reset the connection (ECONNRESET).
        case connectionReset
        /// Writing to a connection the peer has closed (EPIPE).
        case brokenPipe
        /// The kernel gave up waiting for the peer (ETIMEDOUT).
        case timedOut
        /// The address is already bound (EADDRINUSE).
        case addressInUse
        /// The address is not local or not usable here (EADDRNOTAVAIL, EAFNOSUPPORT).
        case addressUnavailable
        /// No route to the network or host (ENETUNREACH, EHOSTUNREACH, ENETDOWN).
        case unreachable
        /// Missing permission (EACCES, EPERM).
        case permissionDenied
        /// The path does not exist (ENOENT).
        case notFound
        /// The process or system descriptor limit is reached (EMFILE, ENFILE).
        case tooManyOpenFiles
        /// Anything else.
        case other
    }

    /// What failed, classified.
    public let kind: Kind
    /// The raw errno value (EBADF for ``Kind/closed``).
    public let errno: Int32
    /// What was attempted, e.g. `connect to 127.0.0.1:6443`.
    public let operation: String
    /// The address involved, if any (`127.0.0.1:6443`, `unix:/run/klientd.sock`).
    public let address: String?

    /// Classifies `errno`; the single place where errno values get meaning.
    public init(errno: Int32, operation: String, address: String? = nil) {
        self.errno = errno
        self.operation = operation
        self.address = address
        switch errno {
        case EBADF: kind = .closed
        case ECONNREFUSED: kind = .connectionRefused
        case ECONNRESET, ECONNABORTED: kind = .connectionReset
        case EPIPE: kind = .brokenPipe
        case ETIMEDOUT: kind = .timedOut
        case EADDRINUSE: kind = .addressInUse
        case EADDRNOTAVAIL, EAFNOSUPPORT: kind = .addressUnavailable
        case ENETUNREACH, EHOSTUNREACH, ENETDOWN: kind = .unreachable
        case EACCES, EPERM: kind = .permissionDenied
        case ENOENT: kind = .notFound
        case EMFILE, ENFILE: kind = .tooManyOpenFiles
        default: kind = .other
        }
    }

    /// The error for using a descriptor after `close()`, or an operation the
    /// close interrupted.
    public static let closed = IOError(errno: EBADF, operation: "use a closed descriptor")

    /// The same error for a specific operation.
    public static func closed(_ operation: String, address: String? = nil) -> IOError {
        IOError(errno: EBADF, operation: operation, address: address)
    }

    /// `"<operation> failed: <strerror> (<ENAME>)[; <hint>]"`.
    public var description: String {
        if kind == .closed {
            return "\(operation) failed: the descriptor is closed (use after close or closed while waiting)"
        }
        var text = "\(operation) failed: \(IOError.strerror(errno))"
        if let name = IOError.errnoName(errno) { text += " (\(name))" }
        if let hint { text += "; \(hint)" }
        return text
    }

    private var hint: String? {
        let target = address ?? "the address"
        let isUnix = address?.hasPrefix("unix:") ?? false
        switch kind {
        case .connectionRefused:
            return "nothing is listening at \(target); check the address and that the server is running"
        case .connectionReset:
            return "the peer at \(target) reset the connection"
        case .brokenPipe:
            return "the peer closed the connection and reads no more data"
        case .timedOut:
            return "\(target) did not answer in time; check that it is reachable"
        case .addressInUse:
            return isUnix
                ? "\(target) already exists; remove the stale socket file if no process serves it"
                : "another socket is bound to \(target); choose another port or stop the other process"
        case .addressUnavailable:
            return "\(target) is not a local address usable here (IPv6 disabled?)"
        case .unreachable:
            return "no route to \(target); check the network configuration"
        case .permissionDenied:
            return isUnix
                ? "check the permissions of \(target)"
                : "ports below 1024 need root or CAP_NET_BIND_SERVICE"
        case .notFound:
            return isUnix ? "no socket file at \(target); is the server running?" : nil
        case .tooManyOpenFiles:
            return "the descriptor limit is reached; close unused connections or raise the limit (ulimit -n)"
        case .closed, .other:
            return nil
        }
    }

    static func strerror(_ code: Int32) -> String {
        // glibc returns static strings for known errnos and a thread-local buffer otherwise.
        guard let text = Glibc.strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    static func errnoName(_ code: Int32) -> String? {
        switch code {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EBADF: "EBADF"
        case EACCES: "EACCES"
        case EINVAL: "EINVAL"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case EPIPE: "EPIPE"
        case ENOTSOCK: "ENOTSOCK"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ENETDOWN: "ENETDOWN"
        case ENETUNREACH: "ENETUNREACH"
        case ECONNABORTED: "ECONNABORTED"
        case ECONNRESET: "ECONNRESET"
        case ENOTCONN: "ENOTCONN"
        case ETIMEDOUT: "ETIMEDOUT"
        case ECONNREFUSED: "ECONNREFUSED"
        case EHOSTUNREACH: "EHOSTUNREACH"
        default: nil
        }
    }
}
