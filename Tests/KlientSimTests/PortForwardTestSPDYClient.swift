import Foundation
import KlientHTTP
import KlientIO
import KlientWire
import Synchronization

/// A minimal SPDY/3.1 client for the port-forward tests, built on
/// KlientWire's codec: opens streams, sends DATA, FIN and PING, and collects
/// what the server sends per stream.
final class PortForwardTestSPDYClient: Sendable {
    struct StreamReset: Error, CustomStringConvertible {
        let streamID: UInt32
        let status: SPDYRstStatus
        var description: String { "stream \(streamID) was reset (\(status))" }
    }

    private struct State {
        var ids = SPDYStreamIDAllocator(role: .client)
        var inboxes: [UInt32: AsyncBoundedChannel<[UInt8]>] = [:]
        var replied: Set<UInt32> = []
        var goAway: SPDYGoAwayStatus?
    }

    let transport: any ByteStream
    private let encoder = Mutex(SPDYFrameEncoder())
    private let writeLock = AsyncLock()
    private let state = Mutex(State())
    let pongs = AsyncBoundedChannel<UInt32>(capacity: 16)
    private let reader = Mutex<Task<Void, Never>?>(nil)

    init(transport: any ByteStream, leftover: [UInt8] = []) {
        self.transport = transport
        let task = Task { [self] in await readLoop(leftover) }
        reader.withLock { $0 = task }
    }

    /// Opens a raw TCP connection, performs the SPDY upgrade by hand and
    /// returns the client plus the 101 head lines.
    static func upgrade(to address: SocketAddress, path: String = PFTest.portForwardPath,
                        protocols: [String] = ["portforward.k8s.io"]) async throws
        -> (client: PortForwardTestSPDYClient?, head: [String], body: [UInt8]) {
        let socket = try await Socket.connect(to: address)
        var request = "POST \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
        for p in protocols { request += "X-Stream-Protocol-Version: \(p)\r\n" }
        request += "Content-Length: 0\r\n\r\n"
        try await socket.write(Array(request.utf8))
        var received: [UInt8] = []
        while true {
            let bytes = try await socket.read(maxBytes: 64 * 1024)
            if bytes.isEmpty { break }
            received.append(contentsOf: bytes)
            if let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
                    .components(separatedBy: "\r\n")
                let rest = Array(received[end.upperBound...])
                if head.first?.contains(" 101 ") == true {
                    return (PortForwardTestSPDYClient(transport: socket, leftover: rest), head, [])
                }
                // Non-101: read the Content-Length body (the connection stays open).
                let length = head.lazy.compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                var body = rest
                while body.count < length, let more = try? await socket.read(maxBytes: 64 * 1024), !more.isEmpty {
                    body.append(contentsOf: more)
                }
                socket.close()
                return (nil, head, body)
            }
        }
        socket.close()
        return (nil, [], received)
    }

    func close() {
        transport.close()
        reader.withLock { $0?.cancel() }
    }

    /// Opens a stream with `headers`; returns its id.
    func openStream(_ headers: SPDYHeaders, fin: Bool = false) async throws -> UInt32 {
        try await writeLock.lock()
        defer { writeLock.unlock() }
        let id = try state.withLock { s in
            let id = try s.ids.next()
            s.inboxes[id] = AsyncBoundedChannel(capacity: 64)
            return id
        }
        let bytes = try encoder.withLock {
            try $0.encode(.synStream(streamID: id, associatedStreamID: 0, priority: 0, slot: 0,
                                     flags: fin ? .fin : [], headers: headers))
        }
        try await transport.write(bytes)
        return id
    }

    /// Opens the error stream (FINed at once, like kubectl) and the data
    /// stream of one forwarded connection.
    func openPortForward(port: UInt16, requestID: Int) async throws -> (error: UInt32, data: UInt32) {
        let error = try await openStream(["streamtype": "error", "port": String(port), "requestid": String(requestID)])
        try await fin(error)
        let data = try await openStream(["streamtype": "data", "port": String(port), "requestid": String(requestID)])
        return (error, data)
    }

    func send(_ id: UInt32, _ bytes: [UInt8], fin: Bool = false) async throws {
        try await writeLock.lock()
        defer { writeLock.unlock() }
        try await transport.write(try encoder.withLock { try $0.encode(.data(streamID: id, flags: fin ? .fin : [], payload: bytes)) })
    }

    /// Sends `bytes` in 32 KiB DATA frames (kubectl's io.Copy size), then FIN.
    func sendAll(_ id: UInt32, _ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 32 * 1024, bytes.count)
            try await send(id, Array(bytes[offset..<end]))
            offset = end
        }
        try await fin(id)
    }

    func fin(_ id: UInt32) async throws { try await send(id, [], fin: true) }

    func reset(_ id: UInt32) async throws {
        try await writeLock.lock()
        defer { writeLock.unlock() }
        try await transport.write(try encoder.withLock { try $0.encode(.rstStream(streamID: id, status: .cancel)) })
    }

    func ping(_ id: UInt32) async throws {
        try await writeLock.lock()
        defer { writeLock.unlock() }
        try await transport.write(try encoder.withLock { try $0.encode(.ping(id: id)) })
    }

    /// Everything the server sends on `id` until its FIN.
    /// - Throws: ``StreamReset`` if the server resets the stream.
    func readAll(_ id: UInt32, expected: Int = 0) async throws -> [UInt8] {
        guard let inbox = state.withLock({ $0.inboxes[id] }) else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(expected)
        while let chunk = try await inbox.receive() { out.append(contentsOf: chunk) }
        return out
    }

    func wasReplied(_ id: UInt32) -> Bool { state.withLock { $0.replied.contains(id) } }

    private func readLoop(_ leftover: [UInt8]) async {
        var decoder = SPDYFrameDecoder()
        decoder.append(leftover)
        var failure: (any Error)?
        loop: while true {
            do {
                while let frame = try decoder.next() {
                    switch frame {
                    case let .data(id, flags, payload):
                        let inbox = state.withLock { $0.inboxes[id] }
                        if !payload.isEmpty { try? await inbox?.send(payload) }
                        if flags.contains(.fin) { inbox?.finish() }
                    case let .synReply(id, _, _):
                        _ = state.withLock { $0.replied.insert(id) }
                    case let .rstStream(id, status):
                        state.withLock { $0.inboxes[id] }?.finish(throwing: StreamReset(streamID: id, status: status))
                    case let .ping(id):
                        try? await pongs.send(id)
                    case let .goAway(_, status):
                        state.withLock { $0.goAway = status }
                    default:
                        break
                    }
                }
                let bytes = try await transport.read(maxBytes: 256 * 1024)
                if bytes.isEmpty { break loop }
                decoder.append(bytes)
            } catch {
                failure = error
                break loop
            }
        }
        struct SessionEnded: Error, CustomStringConvertible {
            let cause: (any Error)?
            var description: String { "the SPDY session ended" + (cause.map { ": \($0)" } ?? "") }
        }
        let inboxes = state.withLock { Array($0.inboxes.values) }
        for inbox in inboxes { inbox.finish(throwing: SessionEnded(cause: failure)) }
        pongs.finish()
    }
}
