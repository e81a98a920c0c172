#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims

/// An owned file descriptor: exactly one owner, closed when the owner goes away.
///
/// Non-copyable, so the compiler rules out double closes and use after
/// `take()`. Closing does not deregister the descriptor from a ``Reactor``;
/// wrap sockets in ``Socket`` or ``Listener``, which do.
public struct FileDescriptor: ~Copyable, Sendable {
    /// The descriptor number, valid while `self` is alive.
    public let rawValue: Int32

    /// Takes ownership of `rawValue`; it is closed when this value is dropped.
    public init(owning rawValue: Int32) {
        precondition(rawValue >= 0, "FileDescriptor(owning:) needs a valid descriptor, got \(rawValue)")
        self.rawValue = rawValue
    }

    /// Gives up ownership without closing; the caller now owns the number.
    public consuming func take() -> Int32 {
        let value = rawValue
        discard self
        return value
    }

    /// Closes now (equivalent to dropping the value). Close errors are
    /// ignored: Linux always releases the descriptor, and retrying on EINTR
    /// could close a number another thread has just reused.
    public consuming func close() {
        _ = Glibc.close(take())
    }

    /// Sets or clears O_NONBLOCK.
    /// - Throws: ``IOError`` if fcntl fails.
    public func setNonBlocking(_ enabled: Bool = true) throws(IOError) {
        let flags = try syscallBlocking("fcntl(F_GETFL)") { fcntl(rawValue, F_GETFL) }
        let wanted = enabled ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags {
            _ = try syscallBlocking("fcntl(F_SETFL)") { fcntl(rawValue, F_SETFL, wanted) }
        }
    }

    deinit {
        _ = Glibc.close(rawValue)
    }
}

/// The two ends of a pipe, each owned.
public struct Pipe: ~Copyable, Sendable {
    /// The end to read from.
    public var readEnd: FileDescriptor
    /// The end to write to.
    public var writeEnd: FileDescriptor

    /// Creates a pipe with O_CLOEXEC (and O_NONBLOCK on both ends when `nonBlocking`).
    /// - Throws: ``IOError`` if pipe2 fails (e.g. EMFILE).
    public init(nonBlocking: Bool = true) throws(IOError) {
        var fds: [Int32] = [-1, -1]
        let flags = O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)
        _ = try syscallBlocking("create a pipe") { klient_pipe2(&fds, flags) }
        readEnd = FileDescriptor(owning: fds[0])
        writeEnd = FileDescriptor(owning: fds[1])
    }

    /// Closes the read end and returns the write end (e.g. after passing the
    /// read end to another process).
    public consuming func keepingWriteEnd() -> FileDescriptor {
        readEnd.close()
        return writeEnd
    }

    /// Closes the write end and returns the read end.
    public consuming func keepingReadEnd() -> FileDescriptor {
        writeEnd.close()
        return readEnd
    }

    /// Gives up ownership of both ends; the caller now closes them.
    public consuming func take() -> (read: Int32, write: Int32) {
        (readEnd.take(), writeEnd.take())
    }
}
