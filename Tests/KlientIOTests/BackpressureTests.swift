#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct BackpressureTests {
        enum Transport: String, CustomStringConvertible, CaseIterable {
            case tcp, unixPair
            var description: String { rawValue }
        }

        func connectedPair(_ transport: Transport) async throws -> (writer: Socket, reader: Socket) {
            switch transport {
            case .unixPair:
                let (a, b) = try socketPair()
                try a.setSendBufferSize(64 * 1024)
                return (a, b)
            case .tcp:
                let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
                defer { listener.close() }
                // Fixed small buffers turn off autotuning, bounding the bytes in flight.
                try listener.handle.borrowSync("set SO_RCVBUF") { fd in
                    var size: Int32 = 64 * 1024
                    #expect(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, 4) == 0)
                }
                let writer = try await Socket.connect(to: listener.localAddress)
                try writer.setSendBufferSize(64 * 1024)
                return (writer, try await listener.accept())
            }
        }

        /// The writer's write(32 MiB) cannot finish until the reader has
        /// consumed all but what fits in the kernel buffers.
        @Test(arguments: Transport.allCases)
        func slowReaderHoldsBackTheWriter(transport: Transport) async throws {
            let total = 32 << 20
            let inFlightBound = 4 << 20
            let (writer, reader) = try await connectedPair(transport)
            defer { writer.close(); reader.close() }
            // A prime-length block repeated, so misplaced chunks do not compare equal.
            let block = (0..<65_521).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
            var pattern: [UInt8] = []
            pattern.reserveCapacity(total)
            while pattern.count < total { pattern += block.prefix(total - pattern.count) }
            let data = pattern
            let consumed = SharedCounter()
            let writerFinished = SharedCounter()

            let writing = Task { () throws -> Int in
                try await writer.write(data)
                writerFinished.store(1)
                return consumed.load()
            }
            // Give the writer time to fill the buffers; it must still be waiting.
            try await Reactor.shared.sleep(for: .milliseconds(100))
            #expect(writerFinished.load() == 0, "write returned before anything was read")

            var received = 0
            var chunks = 0
            while received < total {
                let chunk = try await reader.read(maxBytes: 64 * 1024)
                try #require(!chunk.isEmpty, "early end of stream at \(received)")
                let matches = chunk.withUnsafeBytes { got in
                    data.withUnsafeBytes { memcmp(got.baseAddress!, $0.baseAddress! + received, got.count) == 0 }
                }
                #expect(matches, "bytes \(received)..<\(received + chunk.count) differ")
                received += chunk.count
                consumed.store(received)
                chunks += 1
                if chunks % 64 == 0 { try await Reactor.shared.sleep(for: .milliseconds(1)) }  // a slow reader
            }
            let consumedWhenWriteReturned = try await writing.value
            #expect(consumedWhenWriteReturned >= total - inFlightBound,
                    "write returned when only \(consumedWhenWriteReturned) of \(total) bytes were read")
            try await writer.shutdownWrite()
            #expect(try await reader.read(maxBytes: 1).isEmpty)
        }
    }
}
