#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Facts about the current process from /proc, for tests and benchmarks
/// (e.g. proving the thread count does not grow with connections).
public enum ProcessStats {
    /// The number of threads (the `Threads:` line of /proc/self/status).
    /// - Throws: ``IOError`` if /proc cannot be read.
    public static func threadCount() throws -> Int {
        let status = try readSmallFile("/proc/self/status")
        for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
            if let count = Int(line.dropFirst("Threads:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" })) {
                return count
            }
        }
        throw IOError(errno: EINVAL, operation: "find Threads: in /proc/self/status")
    }

    /// The number of open descriptors (entries of /proc/self/fd, not counting
    /// the one used to list them).
    /// - Throws: ``IOError`` if /proc cannot be read.
    public static func openFileDescriptorCount() throws -> Int {
        guard let directory = opendir("/proc/self/fd") else {
            throw IOError(errno: errno, operation: "list /proc/self/fd")
        }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count - 1
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit and returns the new
    /// soft limit (tests with hundreds of connections need more than 1024).
    /// - Throws: ``IOError`` if getrlimit/setrlimit fail.
    @discardableResult
    public static func raiseFileDescriptorLimit() throws -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        _ = try syscallBlocking("getrlimit(RLIMIT_NOFILE)") { getrlimit(resource, &limit) }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = try syscallBlocking("raise RLIMIT_NOFILE to \(limit.rlim_max)") { setrlimit(resource, &limit) }
        }
        return Int(clamping: limit.rlim_cur)
    }

    private static func readSmallFile(_ path: String) throws -> String {
        let fd: Int32 = try syscallBlocking("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
        let file = FileDescriptor(owning: fd)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try syscallBlocking("read \(path)") { Glibc.read(file.rawValue, buffer.baseAddress, buffer.count) }
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
