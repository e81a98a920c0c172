import Foundation
import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// Serves `pods/{name}/exec` and `pods/{name}/attach` after the API router
/// has found the pod and authorized the request.
///
/// Transports: WebSocket with `v5.channel.k8s.io`, `v4.channel.k8s.io`,
/// `v4.base64.channel.k8s.io`, `channel.k8s.io`, `base64.channel.k8s.io`
/// (the client's offer order decides; no offer means `channel.k8s.io`), and
/// SPDY/3.1 with `X-Stream-Protocol-Version` v5…v1. Exec runs the command as
/// a ``HostProcess`` in the pod's working directory (a pty with `tty=true`);
/// attach bridges to the container's running process through
/// ``PodRuntimeAccess``. Each session ends with the Status a real kubelet
/// writes (see ``RemoteCommandStatus``).
public final class ExecAttachHandler: Sendable {
    /// Upgraded connections are registered here (the "drop streams" fault closes them).
    public let registry: StreamRegistry
    /// Per-message latency, applied to every forwarded message in both directions.
    public let faults: StreamFaults
    /// How long the SPDY transport waits for the client's streams.
    public let streamCreationTimeout: Duration
    /// Grace between SIGTERM and SIGKILL when a client leaves a running exec.
    public let terminationGrace: Duration

    public init(registry: StreamRegistry, faults: StreamFaults,
                streamCreationTimeout: Duration = .seconds(30), terminationGrace: Duration = .seconds(2)) {
        self.registry = registry
        self.faults = faults
        self.streamCreationTimeout = streamCreationTimeout
        self.terminationGrace = terminationGrace
    }

    // MARK: entry points

    /// Answers an exec request: 400 Status for a bad query, else the upgrade.
    public func exec(_ request: HTTPServerRequest, pod: PodContext) async -> HTTPServerResponse {
        let options: RemoteCommandOptions
        let container: String
        do {
            options = try RemoteCommandOptions(target: request.target)
            container = try options.resolveContainer(in: pod)
        } catch {
            return RemoteCommandHTTPError.badRequest(error.description)
        }
        return upgrade(request, options: options) { [self] transport in
            await runExec(transport, options: options, pod: pod, container: container)
        }
    }

    /// Answers an attach request: 400 Status for a bad query, 404 Status when
    /// the container has no running process, else the upgrade.
    public func attach(_ request: HTTPServerRequest, pod: PodContext, runtime: any PodRuntimeAccess) async -> HTTPServerResponse {
        let options: RemoteCommandOptions
        let container: String
        do {
            options = try RemoteCommandOptions(target: request.target)
            container = try options.resolveContainer(in: pod)
        } catch {
            return RemoteCommandHTTPError.badRequest(error.description)
        }
        guard let attachment = runtime.attachment(namespace: pod.namespace, pod: pod.name, container: container) else {
            return RemoteCommandHTTPError.status(
                404, reason: "NotFound",
                message: "container \(container) is not running in pod \(pod.name)_\(pod.namespace)")
        }
        let stdinOnce = Self.containerSpec(pod, container)?["stdinOnce"]?.boolValue ?? false
        return upgrade(request, options: options) { [self] transport in
            await runAttach(transport, options: options, attachment: attachment, stdinOnce: stdinOnce)
        }
    }

    // MARK: upgrade

    private func upgrade(_ request: HTTPServerRequest, options: RemoteCommandOptions,
                         session: @escaping @Sendable (any RemoteCommandTransport) async -> Void) -> HTTPServerResponse {
        let upgradeTokens = request.headers.values(for: "Upgrade")
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if upgradeTokens.contains("websocket") {
            return upgradeWebSocket(request, options: options, session: session)
        }
        if upgradeTokens.contains("spdy/3.1") {
            return upgradeSPDY(request, options: options, session: session)
        }
        return RemoteCommandHTTPError.badRequest("Upgrade request required")
    }

    private func upgradeWebSocket(_ request: HTTPServerRequest, options: RemoteCommandOptions,
                                  session: @escaping @Sendable (any RemoteCommandTransport) async -> Void) -> HTTPServerResponse {
        let handshake: WebSocketHandshake.UpgradeRequest
        do {
            handshake = try WebSocketHandshake.validateUpgradeRequest(method: request.method.rawValue, headers: Array(request.headers))
        } catch {
            return RemoteCommandHTTPError.badRequest("unable to upgrade connection: \(error)")
        }
        let supported = ExecWebSocketTransport.supported.filter { [faults = self.faults] in $0 != .v5 || faults.execV5Enabled }.map(\.rawValue)
        let chosen: KubernetesChannelProtocol
        let header: String?
        if handshake.offeredSubprotocols.isEmpty {
            chosen = .v1 // wsstream serves the "" protocol as channel.k8s.io
            header = nil
        } else if let name = WebSocketHandshake.negotiateSubprotocol(offered: handshake.offeredSubprotocols, supported: supported),
                  let proto = KubernetesChannelProtocol(rawValue: name) {
            chosen = proto
            header = name
        } else {
            return RemoteCommandHTTPError.badRequest(
                "requested protocol(s) are not supported: [\(handshake.offeredSubprotocols.joined(separator: " "))]; "
                + "supports [\(supported.joined(separator: " "))]")
        }
        var head = HTTPResponseHead(status: 101)
        for (name, value) in WebSocketHandshake.serverResponseHeaders(key: handshake.key, subprotocol: header) {
            head.headers.add(name: name, value: value)
        }
        let registry = registry, faults = faults
        return HTTPServerResponse(head: head, body: .upgrade { stream, leftover in
            let token = registry.register(stream)
            defer { registry.unregister(token) }
            let socket = WebSocket(stream: stream, role: .server, subprotocol: header, leftover: leftover)
            let transport = ExecWebSocketTransport(socket: socket, proto: chosen, faults: faults)
            do {
                try await transport.sendInitialMessage(stdout: options.stdout, stderr: options.stderr)
            } catch {
                stream.close()
                return
            }
            await session(transport)
        })
    }

    private func upgradeSPDY(_ request: HTTPServerRequest, options: RemoteCommandOptions,
                             session: @escaping @Sendable (any RemoteCommandTransport) async -> Void) -> HTTPServerResponse {
        let offered = request.headers.values(for: "X-Stream-Protocol-Version")
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !offered.isEmpty else {
            return RemoteCommandHTTPError.text(400, "unable to upgrade: X-Stream-Protocol-Version is required")
        }
        let supported = ExecSPDYTransport.supportedVersions
        guard let version = offered.first(where: supported.contains) else {
            var headers = HTTPHeaders()
            for name in supported { headers.add(name: "X-Accepted-Stream-Protocol-Versions", value: name) }
            return RemoteCommandHTTPError.text(
                403, "unable to upgrade: unable to negotiate protocol: client supports [\(offered.joined(separator: " "))], "
                    + "server accepts [\(supported.joined(separator: " "))]", headers: headers)
        }
        var head = HTTPResponseHead(status: 101)
        head.headers.add(name: "Connection", value: "Upgrade")
        head.headers.add(name: "Upgrade", value: "SPDY/3.1")
        head.headers.add(name: "X-Stream-Protocol-Version", value: version)
        let registry = registry, faults = faults, timeout = streamCreationTimeout
        return HTTPServerResponse(head: head, body: .upgrade { stream, leftover in
            let token = registry.register(stream)
            defer { registry.unregister(token) }
            let transport = ExecSPDYTransport(stream: stream, leftover: leftover, version: version, faults: faults)
            var expected: Set<ExecSPDYTransport.StreamType> = [.error]
            if options.stdin { expected.insert(.stdin) }
            if options.stdout { expected.insert(.stdout) }
            if options.stderr { expected.insert(.stderr) }
            if options.tty && transport.supportsResize { expected.insert(.resize) }
            guard await transport.start(expecting: expected, timeout: timeout) else {
                transport.abort()
                return
            }
            await session(transport)
        })
    }

    // MARK: exec

    private func runExec(_ transport: any RemoteCommandTransport, options: RemoteCommandOptions,
                         pod: PodContext, container: String) async {
        guard !options.command.isEmpty else {
            await transport.finish(.internalError("error executing command in container: no command given"))
            return
        }
        try? FileManager.default.createDirectory(atPath: pod.workingDirectory, withIntermediateDirectories: true)
        let configuration = HostProcess.Configuration(
            arguments: options.command, workingDirectory: pod.workingDirectory,
            environment: Self.environment(pod: pod, container: container, tty: options.tty),
            terminalSize: options.tty ? HostProcess.TerminalSize(width: 80, height: 24) : nil)
        let process: HostProcess
        do {
            process = try HostProcess.spawn(configuration)
        } catch {
            // containerd's wording, as `kubectl exec` shows it for a missing binary.
            await transport.finish(.internalError(
                "error executing command in container: failed to exec in container: failed to start exec: "
                + "OCI runtime exec failed: exec failed: unable to start container process: \(error): unknown"))
            return
        }
        if !options.stdin && !options.tty { await process.closeStdin() }

        let clientLeft = SessionFlag()
        let grace = terminationGrace
        let leave: @Sendable () -> Void = {
            guard clientLeft.set() else { return }
            Task { _ = await process.terminate(grace: grace) }
        }
        let input = Task {
            while let event = await transport.nextEvent() {
                switch event {
                case .stdin(let bytes):
                    if options.stdin { try? await process.stdin.write(bytes) }
                case .stdinClosed:
                    if options.stdin { await process.closeStdin() }
                case .resize(let size):
                    try? process.resize(width: size.width, height: size.height)
                }
            }
            if process.exitStatus == nil { leave() }
        }
        // A background grandchild may keep the output open; stop waiting for it soon after the exit.
        let drainLimit = Task {
            _ = await process.waitForExit()
            try? await Task.sleep(for: .seconds(2))
            process.stdout.close()
            process.stderr?.close()
        }
        async let stdoutDone: Void = Self.pump(process.stdout, to: transport, channel: options.stdout ? 1 : nil, onFailure: leave)
        async let stderrDone: Void = Self.pump(process.stderr, to: transport, channel: options.stderr ? 2 : nil, onFailure: leave)
        _ = await (stdoutDone, stderrDone)
        drainLimit.cancel()
        let status = await process.waitForExit()
        process.stdin.close()
        if clientLeft.isSet {
            transport.abort()
        } else {
            await transport.finish(status.code == 0 ? .success : .nonZeroExit(code: status.code, command: options.command))
        }
        input.cancel()
    }

    /// Copies a process output to `channel` (nil: read and drop) until end of stream.
    private static func pump(_ stream: FileDescriptorStream?, to transport: any RemoteCommandTransport,
                             channel: UInt8?, onFailure: @Sendable () -> Void) async {
        guard let stream else { return }
        var deliver = channel != nil
        while let bytes = try? await stream.read(maxBytes: 32 * 1024), !bytes.isEmpty {
            guard deliver, let channel else { continue }
            do {
                try await transport.send(channel: channel, bytes)
            } catch {
                deliver = false
                onFailure()
            }
        }
    }

    // MARK: attach

    private func runAttach(_ transport: any RemoteCommandTransport, options: RemoteCommandOptions,
                           attachment: any ContainerAttachment, stdinOnce: Bool) async {
        let clientLeft = SessionFlag()
        // Subscribe before any stdin is forwarded, so output caused by the
        // client's own input is never missed.
        let subscription = attachment.subscribeOutput()
        let output = Task {
            for await (channel, bytes) in subscription {
                let wanted = channel == 1 ? options.stdout : channel == 2 && options.stderr
                guard wanted else { continue }
                do { try await transport.send(channel: channel, bytes) } catch {
                    _ = clientLeft.set()
                    return
                }
            }
        }
        let input = Task {
            while let event = await transport.nextEvent() {
                switch event {
                case .stdin(let bytes):
                    if options.stdin { try? await attachment.writeStdin(bytes) }
                case .stdinClosed:
                    // Only a container with stdinOnce loses its stdin when an attached client ends it.
                    if options.stdin && stdinOnce { attachment.closeStdin() }
                case .resize(let size):
                    if attachment.isTTY { attachment.resize(width: size.width, height: size.height) }
                }
            }
            _ = clientLeft.set()
            output.cancel()
        }
        await output.value
        if clientLeft.isSet {
            transport.abort()
        } else {
            await transport.finish(.success)
        }
        input.cancel()
    }

    // MARK: helpers

    static func containerSpec(_ pod: PodContext, _ container: String) -> JSONValue? {
        (pod.object[path: ["spec", "containers"]]?.arrayValue ?? []).first { $0["name"]?.stringValue == container }
    }

    /// The environment of an exec'd process: the host's PATH, HOSTNAME, HOME
    /// (the pod directory), TERM with a tty, and the container's literal `env` values.
    static func environment(pod: PodContext, container: String, tty: Bool) -> [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOSTNAME": pod.name,
            "HOME": pod.workingDirectory,
        ]
        if tty { environment["TERM"] = "xterm" }
        for variable in containerSpec(pod, container)?["env"]?.arrayValue ?? [] {
            if let name = variable["name"]?.stringValue, let value = variable["value"]?.stringValue {
                environment[name] = value
            }
        }
        return environment
    }
}

/// A one-way flag shared by a session's tasks.
private final class SessionFlag: Sendable {
    private let value = Atomic<Bool>(false)
    /// Sets the flag; true if this call set it.
    func set() -> Bool { !value.exchange(true, ordering: .acquiringAndReleasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
