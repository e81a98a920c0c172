#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The one entry point through which every system call goes: retries EINTR,
/// reports EAGAIN/EWOULDBLOCK as `nil` (would block), and turns any other
/// errno into an ``IOError`` (classified in ``IOError/init(errno:operation:address:)``).
///
/// `operation` and `address` are autoclosures so the hot path builds no strings.
@inline(__always)
func syscall<T: FixedWidthInteger>(
    _ operation: @autoclosure () -> String,
    address: @autoclosure () -> String? = nil,
    _ call: () -> T
) throws(IOError) -> T? {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { return nil }
        throw IOError(errno: code, operation: operation(), address: address())
    }
}

/// Like ``syscall(_:address:_:)`` for calls that never legitimately return EAGAIN.
@inline(__always)
func syscallBlocking<T: FixedWidthInteger>(
    _ operation: @autoclosure () -> String,
    address: @autoclosure () -> String? = nil,
    _ call: () -> T
) throws(IOError) -> T {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR { continue }
        throw IOError(errno: code, operation: operation(), address: address())
    }
}
