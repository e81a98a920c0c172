#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientWire

/// Why a persisted forward could not be read.
enum ForwardStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case field(String, String)
    case unsupportedVersion(Int64)
    case malformed(String)

    var description: String {
        switch self {
        case .field(let name, let expected): "field \"\(name)\" must be \(expected)"
        case .unsupportedVersion(let version):
            "schema version \(version) is not supported (this klientd reads version \(ForwardStore.schemaVersion))"
        case .malformed(let detail): detail
        }
    }
}

/// Persistent forwards in `STATE/forwards.json`:
/// `{"version": 1, "forwards": [spec, ...]}`.
///
/// Saving writes a temporary file in the same directory, fsyncs it, renames
/// it over the old one and fsyncs the directory, so a crash leaves either the
/// old or the new file, never a torn one. A file that cannot be read is moved
/// aside (`forwards.json.corrupt-TIMESTAMP`) and klientd starts without it.
struct ForwardStore: Sendable {
    static let schemaVersion: Int64 = 1
    static let maxFileSize = 4 * 1024 * 1024
    let directory: String

    var path: String { directory + "/forwards.json" }

    /// The outcome of reading the file at start.
    enum Loaded: Sendable {
        case none
        case forwards([ForwardSpec])
        /// The file was unreadable and moved to `movedTo`.
        case corrupt(reason: String, movedTo: String?)
    }

    func load() -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else { return .none }
        do {
            guard data.count <= Self.maxFileSize else {
                throw ForwardStoreError.malformed("the file is \(data.count) bytes (at most \(Self.maxFileSize))")
            }
            let json: JSONValue
            do { json = try JSONValue.parse(data) } catch { throw ForwardStoreError.malformed("not JSON: \(error)") }
            guard case .int(let version)? = json["version"] else { throw ForwardStoreError.field("version", "an integer") }
            guard version == Self.schemaVersion else { throw ForwardStoreError.unsupportedVersion(version) }
            guard case .array(let entries)? = json["forwards"] else { throw ForwardStoreError.field("forwards", "an array") }
            var specs: [ForwardSpec] = []
            for (index, entry) in entries.enumerated() {
                do { specs.append(try ForwardSpec(json: entry)) } catch {
                    throw ForwardStoreError.malformed("forward \(index): \(error)")
                }
            }
            return .forwards(specs)
        } catch {
            let aside = path + ".corrupt-" + String(Int(Date().timeIntervalSince1970))
            let moved = rename(path, aside) == 0
            return .corrupt(reason: "\(error)", movedTo: moved ? aside : nil)
        }
    }

    /// Atomically replaces the file with `specs` (only persistent ones are given).
    /// - Throws: an `IOFailure` naming the step and errno.
    func save(_ specs: [ForwardSpec]) throws {
        let document = JSONValue.object([
            "version": .int(Self.schemaVersion),
            "forwards": .array(specs.map(\.json)),
        ])
        var bytes = document.encoded()
        bytes.append(UInt8(ascii: "\n"))
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw IOFailure(step: "create \(temporary)", errno: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw IOFailure(step: "write \(temporary)", errno: code)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw IOFailure(step: "fsync \(temporary)", errno: code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw IOFailure(step: "rename \(temporary) to \(path)", errno: code)
        }
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    struct IOFailure: Error, CustomStringConvertible {
        let step: String
        let errno: Int32
        var description: String { "cannot \(step): \(String(cString: strerror(errno)))" }
    }
}
