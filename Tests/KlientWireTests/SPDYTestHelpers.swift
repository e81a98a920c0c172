import Foundation
import KlientTestSupport
import KlientWire


/// A big-endian UInt32.
func spdyBE32(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
}

/// A control frame written by hand: C bit, version, type, flags, 24-bit length, payload.
func spdyRawControlFrame(version: UInt16 = 3, type: UInt16, flags: UInt8 = 0, payload: [UInt8]) -> [UInt8] {
    [UInt8(0x80 | (version >> 8)), UInt8(version & 0xFF), UInt8(type >> 8), UInt8(type & 0xFF), flags]
        + spdyBE32(UInt32(payload.count)).suffix(3) + payload
}

/// An uncompressed header block written by hand from (name, raw value) pairs.
func spdyRawBlock(count: UInt32? = nil, _ pairs: [(String, [UInt8])]) -> [UInt8] {
    var out = spdyBE32(count ?? UInt32(pairs.count))
    for (name, value) in pairs {
        out += spdyBE32(UInt32(name.utf8.count)) + Array(name.utf8)
        out += spdyBE32(UInt32(value.count)) + value
    }
    return out
}

/// What a decoder run produced: frames, and stream errors it recovered from.
enum SPDYDecodeEvent: Equatable, CustomStringConvertible {
    case frame(SPDYFrame)
    case streamError(SPDYProtocolError)
    case sessionError(SPDYProtocolError)

    var description: String {
        switch self {
        case let .frame(f): "\(f)"
        case let .streamError(e): "stream error: \(e)"
        case let .sessionError(e): "session error: \(e)"
        }
    }
}

/// Feeds `chunks` to a fresh decoder (a new decompression context, as every
/// run must have) and collects everything it yields, continuing after stream
/// errors and stopping at a session error.
func spdyDecodeAll(_ chunks: [[UInt8]], limits: SPDYFrameDecoder.Limits = .init()) -> [SPDYDecodeEvent] {
    var decoder = SPDYFrameDecoder(limits: limits)
    var events: [SPDYDecodeEvent] = []
    for chunk in chunks {
        decoder.append(chunk)
        while true {
            do {
                guard let frame = try decoder.next() else { break }
                events.append(.frame(frame))
            } catch {
                if error.isStreamError {
                    events.append(.streamError(error))
                } else {
                    events.append(.sessionError(error))
                    return events
                }
            }
        }
    }
    return events
}

/// Runs python3 with a script, feeding `input` on stdin and returning stdout.
/// Waits for exit through the termination handler, not by blocking a thread.
enum SPDYPython {
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for dir in dirs {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var available: Bool { path != nil }

    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let stderr: String
        var description: String { "python3 exited with \(status): \(stderr)" }
    }

    static func run(script: String, arguments: [String] = [], input: String) async throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("klient-spdy-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out"),
            errURL = dir.appendingPathComponent("err")
        try Data(input.utf8).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["-c", script] + arguments
        let stdin = try FileHandle(forReadingFrom: inURL)
        let stdout = try FileHandle(forWritingTo: outURL)
        let stderr = try FileHandle(forWritingTo: errURL)
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = try String(contentsOf: outURL, encoding: .utf8)
        guard status == 0 else {
            throw Failure(status: status, stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        }
        return output
    }
}
