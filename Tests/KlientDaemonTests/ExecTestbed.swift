#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import KlientIO
import KlientTestSupport
import KlientWire

/// klient-sim with a pod `shell`, a pod `echoer` to attach to (it reads a
/// line, answers, ends), and a Deployment + Service `web`, klientd on
/// the sim's kubeconfig, and klientctl run as a child with its own pipes (or
/// a pty), all built binaries.
final class ExecTestbed: Sendable {
    let sim: SimServeProcess
    let daemon: KlientdProcess

    static let manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: shell, namespace: default}
        spec:
          containers:
          - name: main
            image: busybox
            command: [sleep, "100000"]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: echoer, namespace: default}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
            stdin: true
            stdinOnce: true
            command: [sh, -c, "read line; echo got $line; echo done >&2"]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: main
                image: busybox
                command: [sleep, "100000"]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          selector: {app: web}
          ports: [{name: web, port: 80, targetPort: 8080}]
        """

    init(simArguments: [String] = []) async throws {
        let seed = NSTemporaryDirectory() + "klient-exec-seed-\(UUID().uuidString.prefix(8)).yaml"
        try Self.manifest.write(toFile: seed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: seed) }
        sim = try await SimServeProcess(extraArguments: ["--seed", seed] + simArguments)
        let kubeconfig = sim.kubeconfig
        daemon = try await KlientdProcess(keepDirectory: false) { directory in
            try? FileManager.default.removeItem(atPath: directory + "/kubeconfig")
            try FileManager.default.copyItem(atPath: kubeconfig, toPath: directory + "/kubeconfig")
        }
        try await waitUntilExecWorks()
    }

    /// What a klientctl run left behind.
    struct Run: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var out: String { String(decoding: stdout, as: UTF8.self) }
    }

    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["KLIENT_SOCKET"] = nil
        return environment
    }

    /// Starts klientctl with pipes for stdin, stdout and stderr.
    func start(_ arguments: [String], socket: String? = nil) throws -> HostProcess {
        try HostProcess.spawn(.init(arguments: [ForwardTestbed.klientctl, "--socket", socket ?? daemon.socketPath] + arguments,
                                    environment: Self.environment))
    }

    /// Runs klientctl to its end: `stdin` is written and closed (nil: closed at once).
    func run(_ arguments: [String], stdin: [UInt8]? = nil, socket: String? = nil,
             timeout: Duration = .seconds(120)) async throws -> Run {
        let process = try start(arguments, socket: socket)
        return try await Self.finish(process, stdin: stdin, timeout: timeout)
    }

    static func finish(_ process: HostProcess, stdin: [UInt8]? = nil, timeout: Duration = .seconds(120)) async throws -> Run {
        let writer = Task {
            if let stdin { try? await process.stdin.write(stdin) }
            process.stdin.close()
        }
        async let out = readAll(process.stdout)
        async let err = readAll(process.stderr!)
        guard let status = await process.waitForExit(timeout: timeout) else {
            process.signal(SIGKILL)
            throw SimTestFailure(description: "klientctl did not finish in \(timeout)")
        }
        _ = await writer.value
        let (stdout, stderr) = try await (out, err)
        return Run(status: status.code, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Everything until end of file (klientctl and klientd both closed their copies).
    static func readAll(_ stream: FileDescriptorStream) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = try await withTimeout(.seconds(120), "reading klientctl's output") {
                try await stream.read(maxBytes: 1 << 20)
            }
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }

    /// klientctl's sessions as JSON (`session list -o json --kind KIND`).
    func sessions(kind: String = "exec") async throws -> [JSONValue] {
        let result = try await run(["session", "list", "-o", "json", "--kind", kind])
        guard result.status == 0 else { throw SimTestFailure(description: "session list: \(result.stderr)") }
        return try JSONValue.parse(result.stdout)["sessions"]?.arrayValue ?? []
    }

    /// Waits until the pods run (an exec into `shell` and `deploy/web` succeeds).
    private func waitUntilExecWorks() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var last = ""
        for target in ["shell", "deploy/web"] {
            while true {
                let result = try await run(["exec", target, "--", "true"])
                if result.status == 0 { break }
                last = result.stderr
                guard ContinuousClock.now < deadline else {
                    throw SimTestFailure(description: "exec into \(target) never worked: \(last)")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
