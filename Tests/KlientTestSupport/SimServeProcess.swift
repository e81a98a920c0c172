import Foundation
import KlientWire
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The built `klient-sim serve` as a child process with its own state
/// directory, kubeconfig and HOME.
public final class SimServeProcess: Sendable {
    public let process: TestProcess
    public let directory: String
    public var kubeconfig: String { directory + "/kubeconfig" }
    public var home: String { directory + "/home" }

    public static var binary: String { TestPython.repositoryRoot + "/.build/debug/klient-sim" }

    public init(extraArguments: [String] = []) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw SimTestFailure(description: "\(Self.binary) is missing: run `swift build` first")
        }
        directory = NSTemporaryDirectory() + "klient-sim-bb-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        process = try TestProcess(Self.binary, ["serve", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state",
                                                "--kubeconfig-out", directory + "/kubeconfig", "--ready-file", directory + "/ready"] + extraArguments)
        _ = try await process.waitForLine(startingWith: "klient-sim: serving", timeout: .seconds(60))
    }

    /// `klient-sim fault ARGS... --kubeconfig` against this sim: exit status and output.
    public func fault(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try TestProcess(Self.binary, ["fault"] + arguments + ["--kubeconfig", kubeconfig])
        let status = try await process.finish(timeout: .seconds(30))
        return (status, process.transcript)
    }

    /// SIGTERM, then the exit status (0 when it stopped cleanly).
    public func stop() async throws -> Int32 {
        kill(process.pid, SIGTERM)
        return try await process.finish(timeout: .seconds(30))
    }

    deinit {
        process.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Runs kubectl binaries of given versions against a kubeconfig.
public enum Kubectl {
    public static let directory: String? = {
        guard let path = ProcessInfo.processInfo.environment["PATH"] else { return nil }
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                let real = (try? FileManager.default.destinationOfSymbolicLink(atPath: candidate)).map {
                    $0.hasPrefix("/") ? $0 : "\(dir)/\($0)"
                } ?? candidate
                return URL(fileURLWithPath: real).resolvingSymlinksInPath().deletingLastPathComponent().path
            }
        }
        return nil
    }()

    public static func binary(_ version: String) -> String? {
        guard let directory else { return nil }
        let path = "\(directory)/kubectl.\(version)"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    public static func start(_ version: String, _ sim: SimServeProcess, _ args: [String], requestTimeout: String = "20s") throws -> TestProcess {
        guard let kubectl = binary(version) else { throw SimTestFailure(description: "kubectl.\(version) not found") }
        return try TestProcess(kubectl, ["--request-timeout=\(requestTimeout)"] + args,
                               environment: ["KUBECONFIG": sim.kubeconfig, "HOME": sim.home])
    }

    /// Runs to completion: exit status and the merged output.
    public static func run(_ version: String, _ sim: SimServeProcess, _ args: [String]) async throws -> (status: Int32, output: String) {
        let p = try start(version, sim, args)
        let status = try await p.finish(timeout: .seconds(90))
        return (status, p.transcript)
    }
}

public struct SimTestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
