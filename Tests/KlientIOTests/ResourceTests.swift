#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import Testing
@testable import KlientIO

extension KlientIOTests {
    /// Counts threads and descriptors of the whole process: `make test` runs
    /// these alone (their names contain "ProcessWide").
    @Suite struct ProcessWideResourceTests {
        @Test func processStatsReadProc() throws {
            #expect(try ProcessStats.threadCount() >= 2)  // the test runner plus the reactor
            let before = try ProcessStats.openFileDescriptorCount()
            let pipe = try Pipe()
            #expect(try ProcessStats.openFileDescriptorCount() == before + 2)
            _ = consume pipe
            #expect(try ProcessStats.openFileDescriptorCount() == before)
            #expect(try ProcessStats.raiseFileDescriptorLimit() >= 1024)
        }

        /// Opens `count` echo connections at once; returns them still open.
        func connectAndEcho(_ count: Int, to address: SocketAddress) async throws -> [Socket] {
            try await withThrowingTaskGroup(of: Socket.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let socket = try await Socket.connect(to: address)
                        let message = Array("connection \(index)".utf8)
                        try await socket.write(message)
                        let reply = try await readExactly(socket, message.count)
                        #expect(reply == message)
                        return socket
                    }
                }
                var sockets: [Socket] = []
                for try await socket in group { sockets.append(socket) }
                return sockets
            }
        }

        @Test func fiveHundredConcurrentConnectionsDoNotAddThreads() async throws {
            try ProcessStats.raiseFileDescriptorLimit()
            let listener = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
            let server = startEchoServer(listener)
            // Warm up so the reactor and the cooperative pool exist before measuring.
            for socket in try await connectAndEcho(50, to: listener.localAddress) { socket.close() }
            let before = try ProcessStats.threadCount()

            let sockets = try await connectAndEcho(500, to: listener.localAddress)
            #expect(sockets.count == 500)
            let during = try ProcessStats.threadCount()
            // 1000 open sockets (both ends); a thread per connection would add hundreds.
            #expect(during <= before + 4, "threads grew from \(before) to \(during) with 500 connections")

            // Every connection still works while all are open.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for socket in sockets {
                    group.addTask {
                        try await socket.write([7])
                        #expect(try await socket.read(maxBytes: 1) == [7])
                    }
                }
                try await group.waitForAll()
            }
            for socket in sockets { socket.close() }
            listener.close()
            await server.value
        }

        @Test func closingEverythingLeaksNoDescriptors() async throws {
            _ = Reactor.shared
            // Start the signal machinery too: its self-pipe lives for the process.
            _ = try Signals.stream([SIGUSR2])
            let before = try ProcessStats.openFileDescriptorCount()
            do {
                let tcp = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
                let path = temporarySocketPath("leak")
                unlink(path)
                let unix = try Listener.bind(to: .unix(path: path))
                let servers = [startEchoServer(tcp), startEchoServer(unix)]
                for address in [tcp.localAddress, unix.localAddress] {
                    for socket in try await connectAndEcho(40, to: address) { socket.close() }
                }
                // Sockets dropped without close() are closed by deinit.
                for _ in try await connectAndEcho(10, to: tcp.localAddress) {}
                let (a, b) = try socketPair()
                let pipe = try Pipe()
                try await a.sendFileDescriptors([pipe.readEnd.rawValue], bytes: [1])
                _ = try await b.receiveFileDescriptors()
                a.close()
                b.close()
                // A failed connect closes its socket.
                let closedPort = try Listener.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
                let refused = closedPort.localAddress
                closedPort.close()
                _ = try? await Socket.connect(to: refused)
                tcp.close()
                unix.close()
                for server in servers { await server.value }
            }
            #expect(try ProcessStats.openFileDescriptorCount() == before)
        }
    }
}
