#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import KlientIO

/// The client's stdin, stdout and stderr, received with `exec.start`
/// (SCM_RIGHTS), as non-blocking streams on klientd's reactor.
///
/// The descriptors share their open file descriptions with the client (and
/// maybe its shell), so O_NONBLOCK set here is seen there too: the flags
/// found at the start are put back before the descriptors are closed. Only
/// the descriptors a session uses are touched; the others are closed at once.
final class ClientStdio: Sendable {
    /// One used descriptor and the file status flags it had.
    struct Stream: Sendable {
        let stream: FileDescriptorStream
        let savedFlags: Int32
    }

    let stdin: Stream?
    let stdout: Stream
    let stderr: Stream?

    /// - Parameters:
    ///   - received: exactly three descriptors: stdin, stdout, stderr.
    ///   - useStdin: read stdin (`exec.start` `stdin`).
    ///   - useStderr: write stderr (false with a terminal, which merges it into stdout).
    /// - Throws: ``IOError`` when a descriptor cannot be made non-blocking
    ///   (every descriptor is closed then).
    init(_ received: OwnedFileDescriptors, useStdin: Bool, useStderr: Bool) throws {
        precondition(received.count == 3)
        func open(_ index: Int, _ name: String) throws -> Stream? {
            guard let descriptor = received.take(index) else { return nil }
            let flags = fcntl(descriptor.rawValue, F_GETFL)
            if flags < 0 { throw IOError(errno: errno, operation: "read the flags of the client's \(name)") }
            if index > 0 { Self.enlargePipe(descriptor.rawValue) }
            return Stream(stream: try FileDescriptorStream(owning: descriptor, name: "the client's \(name)"), savedFlags: flags)
        }
        var opened: [Stream] = []
        do {
            let stdin = useStdin ? try open(0, "stdin") : nil
            if let stdin { opened.append(stdin) }
            guard let stdout = try open(1, "stdout") else { throw IOError.closed("use the client's stdout") }
            opened.append(stdout)
            let stderr = useStderr ? try open(2, "stderr") : nil
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
        } catch {
            for stream in opened { Self.restoreAndClose(stream) }
            throw error
        }
        _ = received.takeAll().map { Glibc.close($0) } // the unused ones
    }

    /// Output pipes get a 1 MiB buffer (the unprivileged maximum): bulk
    /// output then wakes klientd and the reader (e.g. `| wc -c`) 16 times
    /// less often. Other kinds of descriptor, or a refusal, are left as they are.
    static let pipeSize: Int32 = 1 << 20

    private static func enlargePipe(_ fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFIFO else { return }
        let setPipeSize: Int32 = 1031 // F_SETPIPE_SZ (Linux; not exported to Swift)
        if fcntl(fd, 1032 /* F_GETPIPE_SZ */) < pipeSize { _ = fcntl(fd, setPipeSize, pipeSize) }
    }

    /// Puts the file status flags back and closes klientd's copies. Idempotent.
    func close() {
        for stream in [stdin, stdout, stderr].compactMap({ $0 }) { Self.restoreAndClose(stream) }
    }

    private static func restoreAndClose(_ stream: Stream) {
        _ = try? stream.stream.withDescriptor { fd in fcntl(fd, F_SETFL, stream.savedFlags) }
        stream.stream.close()
    }
}
