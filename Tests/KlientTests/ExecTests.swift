import Foundation
import Klient
import KlientWire
import Testing

/// Exec and attach through the library against an in-process klient-sim
/// (pods are host processes; exec runs the command on the host).
@Suite("Exec and attach against klient-sim")
struct ExecTests {
    @Test func twoHundredFiftySixMebibytesOfBinaryStdoutAreByteExact() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "bin")
        // 1 MiB of random bytes (NUL, CR, LF, 0xFF, …), written 256 times by the pod.
        let block = ExecLib.randomBytes(1 << 20)
        let path = sim.directory + "/block.bin"
        try Data(block).write(to: URL(fileURLWithPath: path))
        var options = ExecOptions()
        options.stderr = false
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "bin",
                                                command: ["sh", "-c", "for i in $(seq 256); do cat '\(path)'; done"],
                                                options: options)
        // Checked while streaming: only one chunk at a time is held here.
        var offset = 0
        var firstMismatch: Int?
        var largestChunk = 0
        for try await chunk in session.stdout {
            largestChunk = max(largestChunk, chunk.count)
            if firstMismatch == nil, let at = ExecLib.mismatch(chunk, block, at: offset) { firstMismatch = at }
            offset += chunk.count
        }
        #expect(offset == 256 << 20)
        #expect(firstMismatch == nil, "first differing byte at offset \(firstMismatch ?? -1)")
        #expect(largestChunk <= 64 << 20)
        #expect(try await session.exitStatus() == ExecExitStatus(code: 0))
        #expect(session.subprotocol == "v5.channel.k8s.io")
    }

    @Test func stdinPipedToCatAndClosedReturnsEveryByte() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "cat")
        let input = ExecLib.randomBytes(6 << 20 + 12345)

        // Streaming session: write, closeStdin (v5 CLOSE), read to the end.
        var options = ExecOptions()
        options.stdin = true
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "cat", command: ["cat"], options: options)
        #expect(session.canCloseStdin)
        async let output = ExecLib.readAll(session.stdout)
        try await session.write(stdin: input)
        try await session.closeStdin()
        try await session.closeStdin() // idempotent
        let echoed = try await output
        #expect(echoed.count == input.count)
        #expect(echoed == input)
        #expect(try await session.exitStatus().code == 0)
        let late = await #expect(throws: ExecError.self) { try await session.write(stdin: [1]) }
        #expect(late?.kind == .closed)
        await session.close()

        // One-shot.
        let result = try await client.exec(namespace: ExecLib.namespace, pod: "cat", command: ["cat"], stdin: input)
        #expect(result.stdout == input)
        #expect(result.stderr.isEmpty)
        #expect(result.exitCode == 0)
    }

    @Test func onAV4OnlyServerStdinWorksButCannotBeClosed() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        sim.cluster.faults.setExecV5(enabled: false)
        let client = try sim.client()
        try await ExecLib.createPod(client, "v4")
        let input = ExecLib.randomBytes(3 << 20)

        var options = ExecOptions()
        options.stdin = true
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "v4",
                                                command: ["head", "-c", String(input.count)], options: options)
        #expect(session.subprotocol == "v4.channel.k8s.io")
        #expect(!session.canCloseStdin)
        async let output = ExecLib.readAll(session.stdout)
        try await session.write(stdin: input)
        let refused = await #expect(throws: ExecError.self) { try await session.closeStdin() }
        #expect(refused?.kind == .stdinCloseUnsupported)
        #expect(refused?.message.contains("cannot half-close stdin") == true)
        #expect(try await output == input)
        #expect(try await session.exitStatus().code == 0)
        await session.close()

        // The one-shot exec writes stdin and leaves it open: a command that stops by itself works.
        let result = try await client.exec(namespace: ExecLib.namespace, pod: "v4",
                                           command: ["sh", "-c", "head -c 5; exit 3"], stdin: Array("hello".utf8))
        #expect(result.stdout == Array("hello".utf8))
        #expect(result.exitCode == 3)
    }

    @Test func exitCodeFortyTwo() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "exit")
        let result = try await client.exec(namespace: ExecLib.namespace, pod: "exit", command: ["sh", "-c", "exit 42"])
        #expect(result.exitCode == 42)
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "exit", command: ["sh", "-c", "exit 42"])
        _ = try await ExecLib.readAll(session.stdout)
        let status = try await session.exitStatus()
        #expect(status.code == 42)
        #expect(status.message?.contains("non-zero exit code") == true)
        #expect(try await client.exec(namespace: ExecLib.namespace, pod: "exit", command: ["true"]).exitCode == 0)
    }

    @Test func stderrIsSeparateFromStdout() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "streams")
        let result = try await client.exec(namespace: ExecLib.namespace, pod: "streams",
                                           command: ["sh", "-c", "printf out1; printf err1 >&2; printf out2; printf err2 >&2"])
        #expect(String(decoding: result.stdout, as: UTF8.self) == "out1out2")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "err1err2")
        #expect(result.exitCode == 0)
    }

    @Test func ttySessionSeesTheSizeAndTheResize() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "tty")
        var options = ExecOptions()
        options.tty = true
        options.stdin = true
        options.terminalSize = ExecTerminalSize(width: 100, height: 40)
        // Each `stty size` runs after a line of input, so after the resize sent before that line.
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "tty",
                                                command: ["sh", "-c", "read a; stty size; read b; stty size"], options: options)
        var seen = ""
        var iterator = session.stdout.makeAsyncIterator()
        try await session.write(stdin: Array("\r".utf8))
        while !seen.contains("40 100") {
            guard let chunk = try await iterator.next() else { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("40 100"), "the size sent at start: \(seen)")
        try await session.resize(ExecTerminalSize(width: 120, height: 50))
        try await session.write(stdin: Array("\r".utf8))
        while let chunk = try await iterator.next() { seen += String(decoding: chunk, as: UTF8.self) }
        #expect(seen.contains("50 120"), "the resize: \(seen)")
        #expect(try await session.exitStatus().code == 0)
        // One stream with a TTY: stderr ends at once.
        var stderr = session.stderr.makeAsyncIterator()
        #expect(try await stderr.next() == nil)
    }

    @Test func forbiddenAndNotFoundAreReadable() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        try await ExecLib.createPod(try sim.client(), "web")
        let forbidden = await #expect(throws: ExecError.self) {
            _ = try await sim.client(.readonly).exec(namespace: ExecLib.namespace, pod: "web", command: ["true"])
        }
        #expect(forbidden?.kind == .forbidden)
        #expect(forbidden?.message.contains("create pods/exec") == true, "\(forbidden?.message ?? "")")
        let attach = await #expect(throws: ExecError.self) {
            _ = try await sim.client(.readonly).openAttach(namespace: ExecLib.namespace, pod: "web")
        }
        #expect(attach?.message.contains("create pods/attach") == true, "\(attach?.message ?? "")")

        let missing = await #expect(throws: ExecError.self) {
            _ = try await sim.client().exec(namespace: ExecLib.namespace, pod: "nope", command: ["true"])
        }
        #expect(missing?.kind == .podNotFound)
        #expect(missing?.message == "pod nope not found in namespace default")

        let command = await #expect(throws: ExecError.self) {
            _ = try await sim.client().exec(namespace: ExecLib.namespace, pod: "web", command: ["no-such-command-klient"])
        }
        #expect(command?.kind == .commandNotFound)
        #expect(command?.message.contains("no-such-command-klient") == true, "\(command?.message ?? "")")
    }

    @Test func containerNotFoundMustChooseAndTheDefaultAnnotation() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "two", containers: ["app", "sidecar"])
        try await ExecLib.createPod(client, "annotated", containers: ["app", "sidecar"], defaultContainer: "sidecar")

        var options = ExecOptions()
        options.container = "db"
        let notFound = await #expect(throws: ExecError.self) {
            _ = try await client.exec(namespace: ExecLib.namespace, pod: "two", command: ["true"], options: options)
        }
        #expect(notFound?.kind == .containerNotFound)
        #expect(notFound?.message == "container db not found in pod two in namespace default; its containers: app, sidecar")

        let unchosen = await #expect(throws: ExecError.self) {
            _ = try await client.exec(namespace: ExecLib.namespace, pod: "two", command: ["true"])
        }
        #expect(unchosen?.kind == .containerNotChosen)
        #expect(unchosen?.message.hasPrefix("pod two has 2 containers (app, sidecar): choose one") == true, "\(unchosen?.message ?? "")")

        let defaulted = try await client.exec(namespace: ExecLib.namespace, pod: "annotated", command: ["sh", "-c", "printf %s \"$CONTAINER\""])
        #expect(String(decoding: defaulted.stdout, as: UTF8.self) == "sidecar")
        options.container = "app"
        let chosen = try await client.exec(namespace: ExecLib.namespace, pod: "two", command: ["sh", "-c", "printf %s \"$CONTAINER\""],
                                           options: options)
        #expect(String(decoding: chosen.stdout, as: UTF8.self) == "app")
    }

    @Test func attachToAContainerThatReadsStdin() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        _ = try await client.dynamic(podsResource, namespace: ExecLib.namespace).create([
            "metadata": ["name": "att"],
            "spec": ["containers": [["name": "main", "image": "busybox", "stdin": true,
                                     "command": ["sh", "-c", #"while read line; do echo "echo: $line"; done"#]]]],
        ])
        var options = ExecOptions()
        options.stdin = true
        // The container's process starts asynchronously; attach is refused until it runs.
        let session = try await sim.waitFor("the attachable container") { () async throws -> ExecSession? in
            try? await client.openAttach(namespace: ExecLib.namespace, pod: "att", options: options)
        }
        #expect(session.canCloseStdin)
        try await session.write(stdin: Array("ping-attach\n".utf8))
        var seen = ""
        for try await chunk in session.stdout {
            seen += String(decoding: chunk, as: UTF8.self)
            if seen.contains("echo: ping-attach\n") { break }
        }
        #expect(seen.contains("echo: ping-attach\n"), "\(seen)")
        await session.close()
        let after = await #expect(throws: ExecError.self) { try await session.exitStatus() }
        #expect(after?.kind == .closed)
    }

    @Test func aSlowConsumerHoldsThePodBackWithoutEndingTheSession() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "slow")
        let marker = sim.directory + "/slow-done"
        var options = ExecOptions()
        options.stderr = false
        options.pingInterval = .milliseconds(200)
        options.inactivityTimeout = .milliseconds(600) // shorter than the pause below
        options.outputBufferMessages = 4
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "slow",
                                                command: ["sh", "-c", "head -c 67108864 /dev/zero; touch '\(marker)'"],
                                                options: options)
        var iterator = session.stdout.makeAsyncIterator()
        var total = try await iterator.next()?.count ?? 0
        try await Task.sleep(for: .seconds(2))
        // The pod is still writing: the full buffers stopped it (backpressure), the session is alive.
        #expect(!FileManager.default.fileExists(atPath: marker), "64 MiB went out while nobody read")
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        var firstMismatch: Int?
        while let chunk = try await iterator.next() {
            if firstMismatch == nil { firstMismatch = ExecLib.mismatch(chunk, zeros, at: total) }
            total += chunk.count
        }
        #expect(firstMismatch == nil)
        #expect(total == 64 << 20)
        #expect(try await session.exitStatus().code == 0)
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test func waitingForTheExitStatusCanBeCancelledAndCloseEndsTheSession() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "sleeper")
        let session = try await client.openExec(namespace: ExecLib.namespace, pod: "sleeper", command: ["sleep", "600"])
        let waiter = Task { try await session.exitStatus() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await session.close()
        let ended = await #expect(throws: ExecError.self) { try await session.exitStatus() }
        #expect(ended?.kind == .closed)
        let output = await #expect(throws: ExecError.self) { _ = try await ExecLib.readAll(session.stdout) }
        #expect(output?.kind == .closed)
    }

    @Test func oneShotOutputIsLimited() async throws {
        let sim = try await SimHarness()
        defer { Task { await sim.shutdown() } }
        let client = try sim.client()
        try await ExecLib.createPod(client, "big")
        let error = await #expect(throws: ExecError.self) {
            _ = try await client.exec(namespace: ExecLib.namespace, pod: "big", command: ["head", "-c", "4000000", "/dev/zero"],
                                      maxOutput: 1 << 20)
        }
        #expect(error?.kind == .outputTooLarge)
        let fits = try await client.exec(namespace: ExecLib.namespace, pod: "big", command: ["head", "-c", "1048576", "/dev/zero"],
                                         maxOutput: 1 << 20)
        #expect(fits.stdout == [UInt8](repeating: 0, count: 1 << 20))
    }
}

enum ExecLib {
    static let namespace = "default"

    /// Creates a pod whose containers sleep; each has env `CONTAINER=<its name>`.
    static func createPod(_ client: KubernetesClient, _ name: String, containers: [String] = ["main"],
                          defaultContainer: String? = nil) async throws {
        var metadata: JSONValue = ["name": .string(name)]
        if let defaultContainer {
            metadata["annotations"] = ["kubectl.kubernetes.io/default-container": .string(defaultContainer)]
        }
        let specs: [JSONValue] = containers.map { container in
            ["name": .string(container), "image": "sh", "command": ["sleep", "600"],
             "env": [["name": "CONTAINER", "value": .string(container)]]]
        }
        _ = try await client.dynamic(podsResource, namespace: namespace).create([
            "metadata": metadata, "spec": ["containers": .array(specs)],
        ])
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                raw.storeBytes(of: generator.next() as UInt64, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < raw.count { raw[i] = UInt8.random(in: 0...255, using: &generator); i += 1 }
        }
        return bytes
    }

    /// The absolute offset of the first byte of `chunk` (starting at stream
    /// offset `offset`) that differs from `block` repeated forever; nil if none.
    static func mismatch(_ chunk: [UInt8], _ block: [UInt8], at offset: Int) -> Int? {
        chunk.withUnsafeBytes { got in
            block.withUnsafeBytes { want in
                var done = 0
                while done < got.count {
                    let position = (offset + done) % want.count
                    let length = min(got.count - done, want.count - position)
                    if memcmp(got.baseAddress! + done, want.baseAddress! + position, length) != 0 {
                        for i in 0..<length where got[done + i] != want[position + i] { return offset + done + i }
                    }
                    done += length
                }
                return nil
            }
        }
    }

    static func readAll(_ output: ExecOutput) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in output { all += chunk }
        return all
    }
}
