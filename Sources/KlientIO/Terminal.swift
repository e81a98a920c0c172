#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims
import Synchronization

/// The terminal on a descriptor: its size, and raw mode that is undone on
/// every exit path (``restore()`` is idempotent and async-signal-safe
/// enough to call from a signal handler's task before `exit`).
public final class Terminal: Sendable {
    /// A terminal size in character cells.
    public struct Size: Sendable, Hashable {
        public var width: UInt16
        public var height: UInt16
        public init(width: UInt16, height: UInt16) {
            self.width = width
            self.height = height
        }
    }

    public let fileDescriptor: Int32
    private let saved: Mutex<termios?>

    /// Whether `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The size of the terminal on `fd` (TIOCGWINSZ); nil when it is not a terminal.
    public static func size(of fd: Int32) -> Size? {
        var rows: UInt16 = 0
        var columns: UInt16 = 0
        guard klient_pty_get_size(fd, &rows, &columns) == 0 else { return nil }
        return Size(width: columns, height: rows)
    }

    /// Puts the terminal on `fd` in raw mode (cfmakeraw: no echo, no line
    /// editing, no signals from keys, no output processing), remembering the
    /// previous settings for ``restore()``.
    /// - Throws: ``IOError`` (ENOTTY when `fd` is not a terminal).
    public init(makingRaw fd: Int32) throws(IOError) {
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { throw IOError(errno: errno, operation: "read the terminal settings") }
        var raw = original
        cfmakeraw(&raw)
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { throw IOError(errno: errno, operation: "put the terminal in raw mode") }
        fileDescriptor = fd
        saved = Mutex(original)
    }

    /// Puts the settings found at ``init(makingRaw:)`` back. Idempotent.
    public func restore() {
        guard var original = saved.withLock({ state -> termios? in
            defer { state = nil }
            return state
        }) else { return }
        _ = tcsetattr(fileDescriptor, TCSANOW, &original)
    }

    deinit { restore() }
}
