#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct SocketTests {
        func echo(at requested: SocketAddress) async throws {
            let listener = try Listener.bind(to: requested)
            let server = startEchoServer(listener)
            let client = try await Socket.connect(to: listener.localAddress)
            for message in ["hello", "", "a longer second message", String(repeating: "x", count: 100_000)] {
                try await client.write(Array(message.utf8))
                #expect(try await readExactly(client, message.utf8.count) == Array(message.utf8))
            }
            try await client.shutdownWrite()
            #expect(try await client.read(maxBytes: 16).isEmpty)
            client.close()
            listener.close()
            await server.value
        }

        @Test func echoOverTCPv4() async throws {
            let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
            #expect(listener.localAddress.port != 0)
            listener.close()
            try await echo(at: SocketAddress(parsing: "127.0.0.1:0"))
        }

        @Test(.enabled(if: ipv6LoopbackAvailable(), "::1 is not available"))
        func echoOverTCPv6() async throws {
            try await echo(at: SocketAddress(parsing: "[::1]:0"))
        }

        @Test func echoOverUnixStream() async throws {
            let path = temporarySocketPath("echo")
            unlink(path)
            try await echo(at: .unix(path: path))
            #expect(access(path, F_OK) != 0, "close() removes the socket file")
        }

        @Test func echoOverAbstractUnixSocket() async throws {
            try await echo(at: .unix(path: "@klient-io-test-\(getpid())"))
        }

        @Test func halfCloseDeliversEOFAndPeerCanStillWrite() async throws {
            let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
            defer { listener.close() }
            let client = try await Socket.connect(to: listener.localAddress)
            let server = try await listener.accept()
            defer { client.close(); server.close() }

            try await client.write(Array("ping".utf8))
            try await client.shutdownWrite()
            #expect(try await readToEnd(server) == Array("ping".utf8))
            // Reading after EOF keeps returning EOF.
            #expect(try await server.read(maxBytes: 1).isEmpty)

            try await server.write(Array("pong".utf8))
            try await server.shutdownWrite()
            #expect(try await readToEnd(client) == Array("pong".utf8))
            #expect(client.peerAddress == listener.localAddress)
            #expect(server.peerAddress == (try client.localAddress()))
        }

        @Test func connectToClosedPortIsRefusedNamingTheAddress() async throws {
            let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
            let address = listener.localAddress
            listener.close()
            let error = await #expect(throws: IOError.self) { try await Socket.connect(to: address) }
            #expect(error?.kind == .connectionRefused)
            #expect(error?.description.contains("connect to \(address)") == true)
            #expect(error?.description.contains("nothing is listening at \(address)") == true)
        }

        @Test func connectToMissingUnixPathSaysNoSocketFile() async throws {
            let path = temporarySocketPath("missing")
            let error = await #expect(throws: IOError.self) { try await Socket.connect(to: .unix(path: path)) }
            #expect(error?.kind == .notFound)
            #expect(error?.description.contains("no socket file at unix:\(path)") == true)
        }

        @Test func bindingABoundPortSaysAddressInUse() throws {
            let first = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
            defer { first.close() }
            let error = #expect(throws: IOError.self) { try Listener.bind(to: first.localAddress) }
            #expect(error?.kind == .addressInUse)
            #expect(error?.description.contains(first.localAddress.description) == true)
        }

        @Test func cancellingAPendingReadThrowsCancellationAndTheSocketStillWorks() async throws {
            let (a, b) = try socketPair()
            defer { a.close(); b.close() }
            let pending = Task { try await a.read(maxBytes: 16) }
            pending.cancel()
            await #expect(throws: CancellationError.self) { try await pending.value }

            try await b.write([1, 2, 3])
            #expect(try await readExactly(a, 3) == [1, 2, 3])
        }

        @Test func closingFailsAPendingReadWithClosed() async throws {
            let (a, b) = try socketPair()
            defer { b.close() }
            let started = SharedCounter()
            let pending = Task {
                started.store(1)
                return try await a.read(maxBytes: 16)
            }
            while started.load() == 0 { await Task.yield() }
            a.close()
            let error = await #expect(throws: IOError.self) { try await pending.value }
            #expect(error?.kind == .closed)
            // Use after close is reported, not undefined.
            let again = await #expect(throws: IOError.self) { try await a.write([1]) }
            #expect(again?.kind == .closed)
            a.close()
            // The peer sees the close.
            #expect(try await b.read(maxBytes: 1).isEmpty)
        }

        @Test func writingToAClosedPeerIsBrokenPipeNotSIGPIPE() async throws {
            let (a, b) = try socketPair()
            defer { a.close() }
            b.close()
            let error = await #expect(throws: IOError.self) {
                for _ in 0..<64 { try await a.write([UInt8](repeating: 0, count: 65536)) }
            }
            #expect(error?.kind == .brokenPipe || error?.kind == .connectionReset)
        }

        @Test func acceptIsCancellableAndCloseFailsIt() async throws {
            let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
            let cancelled = Task { try await listener.accept() }
            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }

            let started = SharedCounter()
            let pending = Task {
                started.store(1)
                return try await listener.accept()
            }
            while started.load() == 0 { await Task.yield() }
            listener.close()
            let error = await #expect(throws: IOError.self) { try await pending.value }
            #expect(error?.kind == .closed)
        }

        @Test func connectHonoursItsDeadline() async throws {
            // With a backlog of 0 the kernel queues one connection and drops
            // later SYNs, so a further connect hangs until the deadline.
            let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"), backlog: 0)
            defer { listener.close() }
            var connected: [Socket] = []
            defer { for socket in connected { socket.close() } }
            var timeout: TimeoutError?
            for _ in 0..<8 {
                do {
                    connected.append(try await Socket.connect(to: listener.localAddress,
                                                              deadline: .now.advanced(by: .milliseconds(200))))
                } catch let error as TimeoutError {
                    timeout = error
                    break
                }
            }
            let error = try #require(timeout, "8 connects to a full backlog all succeeded")
            #expect(error.description == "connect to \(listener.localAddress) timed out: it did not finish before its deadline")
        }
    }
}
