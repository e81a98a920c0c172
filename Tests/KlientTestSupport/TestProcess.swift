import Foundation
import KlientIO
import Synchronization

/// A child process for integration tests, with its stdout and stderr merged
/// into one stream read through the reactor (no thread blocks on it) and its
/// exit observed through Foundation's termination handler.
public final class TestProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let process: Process
    private let output: Socket
    private final class Shared: Sendable {
        let state = Mutex<(buffer: [UInt8], lines: [String], status: Int32?,
                           waiters: [CheckedContinuation<Int32, Never>])>(([], [], nil, []))
    }
    private let shared = Shared()

    /// Starts `executable` with `arguments`; `environment` adds to the current
    /// one. With `stdin`, the child reads those bytes and then end of file;
    /// without, it reads /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                stdin: [UInt8]? = nil) throws {
        let (parentEnd, childEnd) = try socketPair()
        guard let childFD = childEnd.fileDescriptor else { throw Failure(description: "socket pair closed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = FileHandle(fileDescriptor: childFD, closeOnDealloc: false)
        process.standardOutput = handle
        process.standardError = handle
        var input: (parent: Socket, child: Socket)?
        if stdin != nil {
            let (parent, child) = try socketPair()
            guard let fd = child.fileDescriptor else { throw Failure(description: "socket pair closed") }
            process.standardInput = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
            input = (parent, child)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        self.process = process
        self.output = parentEnd
        process.terminationHandler = { [shared] process in
            let waiters = shared.state.withLock { state in
                state.status = process.terminationStatus
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: process.terminationStatus) }
        }
        defer {
            childEnd.close() // the child holds its own copies now
            input?.child.close()
        }
        try process.run()
        if let input, let stdin {
            let parent = input.parent
            Task {
                try? await parent.write(stdin)
                try? await parent.shutdownWrite() // the child reads end of file after the bytes
                parent.close()
            }
        }
    }

    deinit {
        terminate()
        output.close()
    }

    public var pid: Int32 { process.processIdentifier }

    /// The next line of output (without the newline), or nil at end of output.
    public func readLine() async throws -> String? {
        while true {
            let line: String? = shared.state.withLock { state in
                guard let newline = state.buffer.firstIndex(of: 0x0A) else { return nil }
                let line = String(decoding: state.buffer[..<newline], as: UTF8.self)
                state.buffer.removeSubrange(...newline)
                state.lines.append(line)
                return line
            }
            if let line { return line }
            let bytes = try await output.read(maxBytes: 64 * 1024)
            if bytes.isEmpty {
                return shared.state.withLock { state in
                    guard !state.buffer.isEmpty else { return nil }
                    defer { state.buffer.removeAll() }
                    let line = String(decoding: state.buffer, as: UTF8.self)
                    state.lines.append(line)
                    return line
                }
            }
            shared.state.withLock { $0.buffer.append(contentsOf: bytes) }
        }
    }

    /// Reads lines until one starts with `prefix` and returns it.
    /// - Throws: ``Failure`` with the output so far if the output ends or
    ///   `timeout` passes first.
    public func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        do {
            return try await withTimeout(timeout, "waiting for \"\(prefix)\"") { [self] in
                while let line = try await readLine() {
                    if line.hasPrefix(prefix) { return line }
                }
                throw Failure(description: "output ended before a line starting with \"\(prefix)\"")
            }
        } catch {
            throw Failure(description: "\(error); output so far:\n\(transcript)")
        }
    }

    /// Reads all remaining output and waits for the exit status.
    public func finish(timeout: Duration = .seconds(120)) async throws -> Int32 {
        try await withTimeout(timeout, "waiting for \(process.executableURL?.lastPathComponent ?? "child") to exit") { [self] in
            while try await readLine() != nil {}
            return await exitStatus()
        }
    }

    /// Every line read so far, joined (for failure messages).
    public var transcript: String { shared.state.withLock { $0.lines.joined(separator: "\n") } }

    /// Kills the child. SIGKILL, because children of Dispatch worker threads
    /// inherit a signal mask that blocks SIGTERM.
    public func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status: Int32? = shared.state.withLock { state in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}

/// The Python interpreter of the venv `make test` creates (with the
/// `websockets` package), and the interop scripts under Tests/Interop.
public enum TestPython {
    /// `KLIENT_PYTHON`, else `.build/venv/bin/python3` of this checkout; nil if neither exists.
    public static let executable: String? = {
        let candidates = [ProcessInfo.processInfo.environment["KLIENT_PYTHON"],
                          repositoryRoot + "/.build/venv/bin/python3"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    public static var isAvailable: Bool { executable != nil }

    /// The checkout's root directory.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() } // Tests/KlientTestSupport/TestProcess.swift
        return url.path
    }()

    /// Starts `Tests/Interop/<script>` with `arguments`.
    public static func run(_ script: String, _ arguments: [String]) throws -> TestProcess {
        guard let executable else {
            throw TestProcess.Failure(description: "no Python venv: run `make venv` (or `make test`)")
        }
        return try TestProcess(executable, ["-u", repositoryRoot + "/Tests/Interop/" + script] + arguments)
    }
}
