import KlientIO
import KlientWire
import Synchronization

/// Exec/attach over SPDY/3.1 (`X-Stream-Protocol-Version` v4…v1 as kubectl
/// 1.27–1.29 use it): the client opens one stream per `streamtype` (error,
/// stdin, stdout, stderr, resize); the server replies to each, copies data,
/// writes the Status on the error stream (JSON for v4/v5, text for v1–v3),
/// FINs its streams, sends GOAWAY and closes.
///
/// spdystream does no flow control, so WINDOW_UPDATE and SETTINGS are ignored.
final class ExecSPDYTransport: RemoteCommandTransport {
    enum StreamType: String, Sendable, CaseIterable {
        case error, stdin, stdout, stderr, resize
    }

    /// Protocols in our preference-free list; the client's order decides.
    static let supportedVersions = ["v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io",
                                    "v2.channel.k8s.io", "channel.k8s.io"]

    private struct State {
        var streams: [StreamType: UInt32] = [:]
        var types: [UInt32: StreamType] = [:]
        var expected: Set<StreamType> = []
        var readyWaiter: CheckedContinuation<Bool, Never>?
        var ready = false
        var ended = false
        var highestClientStream: UInt32 = 0
        var finished: [CheckedContinuation<Void, Never>] = []
    }

    /// The encoder holds the connection's deflate context; only used under `writeLock`.
    private final class EncoderBox: @unchecked Sendable {
        let encoder = SPDYFrameEncoder()
    }

    let stream: any ByteStream
    /// The negotiated `X-Stream-Protocol-Version`.
    let version: String
    private let leftover: [UInt8]
    private let faults: StreamFaults
    private let state = Mutex(State())
    private let events = AsyncBoundedChannel<RemoteCommandEvent>(capacity: 16)
    private let writeLock = AsyncLock()
    private let box = EncoderBox()

    init(stream: any ByteStream, leftover: [UInt8], version: String, faults: StreamFaults) {
        self.stream = stream
        self.leftover = leftover
        self.version = version
        self.faults = faults
    }

    /// v4 and v5 carry a JSON Status on the error stream; older versions plain text.
    var errorStreamCarriesStatus: Bool { version.hasPrefix("v4.") || version.hasPrefix("v5.") }
    /// The resize stream exists from v3 on.
    var supportsResize: Bool { version != "channel.k8s.io" && !version.hasPrefix("v2.") }

    /// Starts reading frames, then waits up to `timeout` for the client to
    /// open every stream in `expected`. Returns false if it did not (or left).
    func start(expecting expected: Set<StreamType>, timeout: Duration) async -> Bool {
        state.withLock { $0.expected = expected }
        Task { await self.readLoop() }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                defer { state.readyWaiter = nil }
                return state.readyWaiter
            }
            waiter?.resume(returning: false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let outcome: Bool? = state.withLock { state in
                if state.ready { return true }
                if state.ended { return false }
                state.readyWaiter = continuation
                return nil
            }
            if let outcome { continuation.resume(returning: outcome) }
        }
    }

    func has(_ type: StreamType) -> Bool { state.withLock { $0.streams[type] != nil } }

    // MARK: reading

    private func readLoop() async {
        var decoder = SPDYFrameDecoder()
        decoder.append(leftover)
        var resizeBuffer: [UInt8] = []
        reading: while true {
            do {
                while let frame = try decoder.next() {
                    if !(await handle(frame, resizeBuffer: &resizeBuffer)) { break reading }
                }
                let bytes = try await stream.read(maxBytes: 64 * 1024)
                if bytes.isEmpty { break }
                decoder.append(bytes)
            } catch {
                break
            }
        }
        events.finish()
        let (waiter, finished) = state.withLock { state in
            state.ended = true
            defer { state.readyWaiter = nil; state.finished.removeAll() }
            return (state.readyWaiter, state.finished)
        }
        waiter?.resume(returning: false)
        for continuation in finished { continuation.resume() }
    }

    /// Handles one frame; false ends the session (GOAWAY).
    private func handle(_ frame: SPDYFrame, resizeBuffer: inout [UInt8]) async -> Bool {
        switch frame {
        case let .synStream(id, _, _, _, flags, headers):
            let type = headers["streamtype"].flatMap(StreamType.init(rawValue:))
            let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
                state.highestClientStream = max(state.highestClientStream, id)
                guard let type else { return nil }
                state.streams[type] = id
                state.types[id] = type
                guard !state.ready, state.expected.isSubset(of: Set(state.streams.keys)) else { return nil }
                state.ready = true
                defer { state.readyWaiter = nil }
                return state.readyWaiter
            }
            try? await writeFrame(.synReply(streamID: id, flags: [], headers: SPDYHeaders()))
            waiter?.resume(returning: true)
            if type == .stdin, flags.contains(.fin) { try? await events.send(.stdinClosed) }
        case let .data(id, flags, payload):
            switch state.withLock({ $0.types[id] }) {
            case .stdin:
                if !payload.isEmpty {
                    await faults.delayMessage()
                    try? await events.send(.stdin(payload))
                }
                if flags.contains(.fin) { try? await events.send(.stdinClosed) }
            case .resize:
                // client-go's json.Encoder writes one object per line.
                resizeBuffer.append(contentsOf: payload)
                guard resizeBuffer.count <= 64 * 1024 else { return false }
                while let newline = resizeBuffer.firstIndex(of: 0x0A) {
                    let line = Array(resizeBuffer[..<newline])
                    resizeBuffer.removeSubrange(...newline)
                    if let size = try? KubernetesTerminalSize.parse(line) { try? await events.send(.resize(size)) }
                }
            default:
                break
            }
        case let .rstStream(id, _):
            if state.withLock({ $0.types[id] }) == .stdin { try? await events.send(.stdinClosed) }
        case let .ping(id):
            // Echo pings the client started (odd ids); ours would be even.
            if id % 2 == 1 { try? await writeFrame(.ping(id: id)) }
        case .goAway:
            return false
        default:
            break // SETTINGS, WINDOW_UPDATE, HEADERS, NOOP: nothing to do without flow control
        }
        return true
    }

    // MARK: writing

    private func writeFrame(_ frame: SPDYFrame) async throws {
        try await writeLock.withLock {
            let bytes = try box.encoder.encode(frame)
            try await stream.write(bytes)
        }
    }

    private func writeData(_ id: UInt32, _ payload: [UInt8], fin: Bool) async throws {
        try await writeLock.withLock {
            var header: [UInt8] = []
            header.reserveCapacity(8)
            try SPDYFrameEncoder.encodeDataFrameHeader(streamID: id, flags: fin ? .fin : [], length: payload.count, into: &header)
            try await stream.write(contentsOf: payload.isEmpty ? [header] : [header, payload])
        }
    }

    func nextEvent() async -> RemoteCommandEvent? {
        (try? await events.receive()) ?? nil
    }

    func send(channel: UInt8, _ bytes: [UInt8]) async throws {
        let type: StreamType = channel == KubernetesChannelID.stderr.rawValue ? .stderr : .stdout
        guard let id = state.withLock({ $0.streams[type] }) else { return }
        await faults.delayMessage()
        // Stay well below the 24-bit length limit and spdystream's frame buffer.
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 32 * 1024)
            try await writeData(id, offset == 0 && end == bytes.count ? bytes : Array(bytes[offset..<end]), fin: false)
            offset = end
        }
    }

    func finish(_ status: RemoteCommandStatus) async {
        let (streams, lastGood) = state.withLock { ($0.streams, $0.highestClientStream) }
        if let error = streams[.error] {
            let body = errorStreamCarriesStatus ? status.jsonBytes() : status.plainTextBytes()
            if !body.isEmpty { try? await writeData(error, body, fin: false) }
            try? await writeData(error, [], fin: true)
        }
        for type in [StreamType.stdout, .stderr] {
            if let id = streams[type] { try? await writeData(id, [], fin: true) }
        }
        try? await writeFrame(.goAway(lastGoodStreamID: lastGood, status: .ok))
        // Half-close and let the client close: closing with unread input would reset the connection.
        try? await stream.shutdownWrite()
        let ended = await waitForEnd(timeout: .seconds(5))
        if !ended { stream.close() }
        stream.close()
    }

    private func waitForEnd(timeout: Duration) async -> Bool {
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            stream.close() // makes the read loop end
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state in
                if state.ended { return true }
                state.finished.append(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
        return true
    }

    func abort() {
        stream.close()
    }
}
