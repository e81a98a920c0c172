import KlientIO
import KlientTestSupport
import KlientTLS
import Testing

@Suite struct TLSStreamTests {
    let pki = TestPKI.shared

    @Test(arguments: [TLSConfiguration.MaximumVersion.tls13, .tls12])
    func secondConnectionWithSameContextResumes(version: TLSConfiguration.MaximumVersion) async throws {
        let clientContext = try pki.clientContext(maximumVersion: version)
        let serverContext = try pki.serverContext(maximumVersion: version)

        let first = await handshake(client: clientContext, server: serverContext)
        #expect(try first.client.get().handshakeInfo.sessionResumed == false)
        // TLS 1.3 tickets arrive after the handshake: exchange data so the client reads them.
        try await expectRoundTrip(first)
        #expect(clientContext.cachedSessionCount == 1)

        let second = await handshake(client: clientContext, server: serverContext)
        let (client, server) = try second.streams()
        #expect(client.handshakeInfo.sessionResumed == true)
        #expect(server.handshakeInfo.sessionResumed == true)
        try await expectRoundTrip(second)

        // Another peer key (different port) does not reuse it.
        let other = await handshake(client: clientContext, server: serverContext, port: 443)
        #expect(try other.client.get().handshakeInfo.sessionResumed == false)
    }

    @Test(arguments: [TLSConfiguration.MaximumVersion.tls13, .tls12], [TLSConfiguration.ClientCertificateMode.required, .none])
    func resumedSessionKeepsTheClientIdentity(version: TLSConfiguration.MaximumVersion, mode: TLSConfiguration.ClientCertificateMode) async throws {
        let clientContext = try pki.clientContext(identity: pki.client, maximumVersion: version)
        let serverContext = try pki.serverContext(clientCertificate: mode, maximumVersion: version)
        try await expectRoundTrip(await handshake(client: clientContext, server: serverContext))
        let second = await handshake(client: clientContext, server: serverContext)
        let (client, server) = try second.streams()
        #expect(client.handshakeInfo.sessionResumed)
        #expect(server.handshakeInfo.sessionResumed)
        if mode == .required {
            #expect(server.handshakeInfo.peerCommonName == "alice")
        }
    }

    @Test func bulkDataBothDirectionsAtOnce() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext())
        let (client, server) = try outcome.streams()
        let size = 16 * 1024 * 1024
        let up = pattern(size, seed: 7)
        let down = pattern(size, seed: 91)

        async let serverReceived = readAll(server, count: size)
        async let clientReceived = readAll(client, count: size)
        async let serverSent: Void = server.write(down)
        try await client.write(up)
        try await serverSent
        let (atServer, atClient) = try await (serverReceived, clientReceived)
        #expect(atServer.count == size)
        #expect(atServer == up)
        #expect(atClient.count == size)
        #expect(atClient == down)
    }

    @Test func concurrentSmallWritesStayInOrder() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext())
        let (client, server) = try outcome.streams()
        let messages = 2000
        // A reader on the client side running alongside its writer.
        async let echoed = readAll(client, count: 4 * messages)
        async let serverSide: [UInt8] = {
            var received: [UInt8] = []
            while received.count < 4 * messages {
                let chunk = try await server.read(maxBytes: 4096)
                if chunk.isEmpty { break }
                received.append(contentsOf: chunk)
                try await server.write(chunk)
            }
            return received
        }()
        for i in 0..<messages {
            try await client.write(withUnsafeBytes(of: UInt32(i).bigEndian, Array.init))
        }
        let expected = (0..<messages).flatMap { withUnsafeBytes(of: UInt32($0).bigEndian, Array.init) }
        #expect(try await serverSide == expected)
        #expect(try await echoed == expected)
    }

    @Test func cancelledWaitingWriterKeepsRecordOrder() async throws {
        let (clientSide, serverSide) = MemoryStreamPair.make()
        let gated = GatedStream(clientSide)
        gated.open() // for the handshake
        async let serverStream = TLSStream.server(over: serverSide, context: try pki.serverContext())
        let client = try await TLSStream.client(over: gated, context: try pki.clientContext(), host: "localhost", port: 1)
        let server = try await serverStream
        // Let the server's tickets through so later reads are pure data.
        try await server.write([0])
        #expect(try await client.read(maxBytes: 1) == [0])

        gated.shut()
        var started = gated.writeStarted.makeAsyncIterator()

        let first = Task { try await client.write(Array("first;".utf8)) }
        _ = await started.next() // the first writer is now the flusher, stuck in the underlying write
        let second = Task { try await client.write(Array("second".utf8)) }
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
        gated.open()
        try await first.value
        // The cancelled write's bytes were already encrypted: they follow, in order.
        #expect(try await readAll(server, count: 12) == Array("first;second".utf8))
    }

    @Test func readThatProducesAKeyUpdateReplySendsIt() async throws {
        let (clientSide, serverSide) = MemoryStreamPair.make()
        async let serverStream = TLSStream.server(over: serverSide, context: try pki.serverContext())
        let client = try await TLSStream.client(over: clientSide, context: try pki.clientContext(), host: "localhost", port: 1)
        let server = try await serverStream
        try await server.write([1])
        #expect(try await client.read(maxBytes: 10) == [1]) // also consumes the tickets
        #expect(serverSide.inbound.bufferedCount == 0)

        try await server.updateKeys()
        try await server.write([2])
        #expect(try await client.read(maxBytes: 10) == [2])
        // The client's KeyUpdate answer goes out because of its read, without any
        // write of ours (flushed in the background, so the reader never waits on the peer).
        let deadline = ContinuousClock.now + .seconds(10)
        while serverSide.inbound.bufferedCount == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(serverSide.inbound.bufferedCount > 0)

        // Both directions still work with the new keys.
        try await client.write([3])
        #expect(try await server.read(maxBytes: 10) == [3])
        try await server.write([4])
        #expect(try await client.read(maxBytes: 10) == [4])
    }

    @Test func keyUpdateNeedsTLS13() async throws {
        let outcome = await handshake(client: try pki.clientContext(maximumVersion: .tls12), server: try pki.serverContext())
        let (client, _) = try outcome.streams()
        await #expect(throws: TLSError.self) { try await client.updateKeys() }
    }

    @Test func closeNotifyGivesTheReaderEndOfStream() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext())
        let (client, server) = try outcome.streams()
        try await client.write(Array("last words".utf8))
        try await client.shutdownWrite()
        #expect(try await readAll(server) == Array("last words".utf8))
        #expect(try await server.read(maxBytes: 10) == [])
        // Half-close: the other direction still works.
        try await server.write(Array("reply".utf8))
        try await server.shutdownWrite()
        #expect(try await readAll(client) == Array("reply".utf8))
        await #expect(throws: TLSError.self) { try await client.write([1]) }
        client.close()
        server.close()
    }

    @Test func endOfStreamWithoutCloseNotifyIsAnError() async throws {
        let (clientSide, serverSide) = MemoryStreamPair.make()
        async let serverStream = TLSStream.server(over: serverSide, context: try pki.serverContext())
        let client = try await TLSStream.client(over: clientSide, context: try pki.clientContext(),
                                                host: "localhost", port: 6443)
        _ = try await serverStream
        try await serverSide.shutdownWrite() // FIN without close_notify
        let error = await #expect(throws: TLSError.self) { _ = try await client.read(maxBytes: 10) }
        #expect(error?.kind == .unexpectedEOF)
        #expect(error?.message.contains("close_notify") == true)
    }

    @Test func peerClosingDuringHandshakeIsUnexpectedEOF() async throws {
        let (clientSide, serverSide) = MemoryStreamPair.make()
        serverSide.close()
        let error = await #expect(throws: TLSError.self) {
            _ = try await TLSStream.client(over: clientSide, context: try pki.clientContext(), host: "localhost", port: 1)
        }
        #expect(error?.kind == .unexpectedEOF)
    }

    @Test func closedStreamRejectsIO() async throws {
        let outcome = await handshake(client: try pki.clientContext(), server: try pki.serverContext())
        let (client, _) = try outcome.streams()
        client.close()
        client.close()
        await #expect(throws: TLSError.self) { try await client.write([1, 2, 3]) }
        await #expect(throws: TLSError.self) { _ = try await client.read(maxBytes: 1) }
    }

    @Test func configurationOverloadBuildsItsOwnContext() async throws {
        let (clientSide, serverSide) = MemoryStreamPair.make()
        async let serverStream = TLSStream.server(over: serverSide, context: try pki.serverContext())
        let client = try await TLSStream.client(
            over: clientSide, configuration: .client(trustRoots: .pem(pki.ca.certificatePEM)),
            host: "api.example.test", port: 443)
        let server = try await serverStream
        try await expectRoundTrip(HandshakeOutcome(client: .success(client), server: .success(server)))
    }

    private func pattern(_ count: Int, seed: UInt32) -> [UInt8] {
        var state = seed
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                state = state &* 1_664_525 &+ 1_013_904_223
                buffer[i] = UInt8(truncatingIfNeeded: state >> 24)
            }
            initialized = count
        }
    }
}
