#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct IOErrorTests {
        @Test func classifiesErrnoInOnePlace() {
            #expect(IOError(errno: ECONNREFUSED, operation: "x").kind == .connectionRefused)
            #expect(IOError(errno: ECONNRESET, operation: "x").kind == .connectionReset)
            #expect(IOError(errno: EPIPE, operation: "x").kind == .brokenPipe)
            #expect(IOError(errno: EADDRINUSE, operation: "x").kind == .addressInUse)
            #expect(IOError(errno: EMFILE, operation: "x").kind == .tooManyOpenFiles)
            #expect(IOError(errno: EBADF, operation: "x").kind == .closed)
            #expect(IOError(errno: EIO, operation: "x").kind == .other)
        }

        @Test func describesWhatFailedAndWhatToDo() {
            let refused = IOError(errno: ECONNREFUSED, operation: "connect to 127.0.0.1:6443", address: "127.0.0.1:6443")
            #expect(refused.description.hasPrefix("connect to 127.0.0.1:6443 failed: Connection refused (ECONNREFUSED)"))
            #expect(refused.description.contains("nothing is listening at 127.0.0.1:6443"))
            let inUse = IOError(errno: EADDRINUSE, operation: "bind to unix:/run/x.sock", address: "unix:/run/x.sock")
            #expect(inUse.description.contains("remove the stale socket file"))
            #expect(IOError.closed.description.contains("closed"))
        }

        @Test func syscallRetriesNothingButEINTRAndMapsEAGAIN() throws {
            var calls = 0
            let result = try syscall("test") { () -> Int32 in
                calls += 1
                if calls == 1 { errno = EINTR; return -1 }
                errno = EAGAIN
                return -1
            }
            #expect(result == nil && calls == 2)
            #expect(throws: IOError.self) { try syscall("test") { () -> Int32 in errno = EIO; return -1 } }
        }

        @Test func fileDescriptorClosesOnDeinitAndTakeReleases() throws {
            var fds: [Int32] = [-1, -1]
            #expect(pipe(&fds) == 0)
            do { _ = FileDescriptor(owning: fds[0]) }
            #expect(fcntl(fds[0], F_GETFD) == -1 && errno == EBADF)
            let raw = FileDescriptor(owning: fds[1]).take()
            #expect(fcntl(raw, F_GETFD) != -1)
            close(raw)
        }
    }
}
