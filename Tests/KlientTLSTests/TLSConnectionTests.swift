import KlientTestSupport
import KlientTLS
import Testing

/// The state machine alone: bytes shuttled by hand, no streams, no tasks.
@Suite struct TLSConnectionTests {
    let pki = TestPKI.shared

    /// Moves ciphertext both ways until neither side has anything to send.
    private func pump(_ a: TLSConnection, _ b: TLSConnection) {
        while true {
            let ab = a.takeCiphertext()
            let ba = b.takeCiphertext()
            if ab.isEmpty && ba.isEmpty { return }
            b.feed(ab)
            a.feed(ba)
        }
    }

    @Test func handshakeAndDataByHand() throws {
        let client = try TLSConnection.client(context: try pki.clientContext(), host: "localhost", port: 6443)
        let server = try TLSConnection.server(context: try pki.serverContext())
        #expect(client.handshakeInfo == nil)
        var rounds = 0
        while !(client.isHandshakeComplete && server.isHandshakeComplete) {
            _ = try client.handshake()
            _ = try server.handshake()
            pump(client, server)
            rounds += 1
            try #require(rounds < 10)
        }
        #expect(client.handshakeInfo?.alpnProtocol == "http/1.1")
        #expect(server.handshakeInfo?.serverName == "localhost")

        // Nothing to read yet (tickets only).
        #expect(try client.readPlaintext(maxBytes: 100) == .needsMoreData)

        // A 100 000-byte write becomes several records; a small maxBytes reads in pieces.
        let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(try client.writePlaintext(payload) == payload.count)
        #expect(client.pendingCiphertextCount > payload.count)
        server.feed(client.takeCiphertext())
        var received: [UInt8] = []
        while case .bytes(let chunk) = try server.readPlaintext(maxBytes: 30_000) {
            #expect(chunk.count <= 30_000)
            received += chunk
        }
        #expect(received == payload)

        // Ciphertext fed one byte at a time still decrypts.
        _ = try server.writePlaintext(Array("split".utf8))
        var got: [UInt8] = []
        for byte in server.takeCiphertext() {
            client.feed([byte])
            if case .bytes(let chunk) = try client.readPlaintext(maxBytes: 100) { got += chunk }
        }
        #expect(got == Array("split".utf8))

        client.close()
        server.feed(client.takeCiphertext())
        #expect(try server.readPlaintext(maxBytes: 10) == .closed)
        #expect(server.receivedCloseNotify)
        #expect(throws: TLSError.self) { try client.writePlaintext([1]) }
    }

    @Test func corruptedRecordIsAProtocolError() throws {
        let client = try TLSConnection.client(context: try pki.clientContext(), host: "localhost", port: 1)
        let server = try TLSConnection.server(context: try pki.serverContext())
        for _ in 0..<5 {
            _ = try client.handshake()
            _ = try server.handshake()
            pump(client, server)
        }
        try #require(client.isHandshakeComplete && server.isHandshakeComplete)
        _ = try client.writePlaintext(Array("hello".utf8))
        var record = client.takeCiphertext()
        record[record.count - 1] ^= 0xFF
        server.feed(record)
        let error = #expect(throws: TLSError.self) { _ = try server.readPlaintext(maxBytes: 100) }
        #expect(error?.kind == .protocolError)
        // Sticky: the connection stays failed.
        #expect(throws: TLSError.self) { _ = try server.readPlaintext(maxBytes: 100) }
    }

    /// One full handshake by hand; returns the ClientHello size and whether both sides resumed.
    private func connectOnce(_ clientContext: TLSContext, _ serverContext: TLSContext) throws -> (Int, Bool, Bool) {
        let client = try TLSConnection.client(context: clientContext, host: "localhost", port: 1)
        let server = try TLSConnection.server(context: serverContext)
        _ = try client.handshake()
        let hello = client.takeCiphertext()
        server.feed(hello)
        for _ in 0..<5 {
            _ = try server.handshake()
            pump(client, server)
            _ = try client.handshake()
            pump(client, server)
        }
        // The client reads the TLS 1.3 tickets that follow the handshake.
        _ = try server.writePlaintext([1])
        client.feed(server.takeCiphertext())
        #expect(try client.readPlaintext(maxBytes: 10) == .bytes([1]))
        let resumed = (try #require(client.handshakeInfo).sessionResumed, try #require(server.handshakeInfo).sessionResumed)
        return (hello.count, resumed.0, resumed.1)
        // Both connections are released here without close_notify, as pooled
        // HTTP connections often are: the cached session must stay resumable.
    }

    @Test(arguments: [false, true])
    func sessionResumesAfterTheFirstConnectionIsReleased(withClientCertificate: Bool) throws {
        let clientContext = try pki.clientContext(identity: withClientCertificate ? pki.client : nil)
        let serverContext = try pki.serverContext(clientCertificate: withClientCertificate ? .required : .none)
        let first = try connectOnce(clientContext, serverContext)
        #expect(first.1 == false && first.2 == false)
        let second = try connectOnce(clientContext, serverContext)
        #expect(second.1 == true && second.2 == true)
        #expect(second.0 > first.0) // the ClientHello now carries the ticket
    }

    @Test func readingAKeyUpdateRequestQueuesTheAnswer() throws {
        let client = try TLSConnection.client(context: try pki.clientContext(), host: "localhost", port: 1)
        let server = try TLSConnection.server(context: try pki.serverContext())
        for _ in 0..<5 {
            _ = try client.handshake()
            _ = try server.handshake()
            pump(client, server)
        }
        _ = try server.writePlaintext([1])
        client.feed(server.takeCiphertext())
        #expect(try client.readPlaintext(maxBytes: 10) == .bytes([1]))
        #expect(client.pendingCiphertextCount == 0)

        try server.requestKeyUpdate()
        _ = try server.writePlaintext([2])
        client.feed(server.takeCiphertext())
        #expect(try client.readPlaintext(maxBytes: 10) == .bytes([2]))
        #expect(client.pendingCiphertextCount > 0) // the client's own KeyUpdate, unprompted by a write
        server.feed(client.takeCiphertext())
        _ = try client.writePlaintext([3])
        server.feed(client.takeCiphertext())
        #expect(try server.readPlaintext(maxBytes: 10) == .bytes([3]))
    }

    @Test func roleMismatchIsRejected() throws {
        #expect(throws: TLSError.self) { _ = try TLSConnection.server(context: try pki.clientContext()) }
        #expect(throws: TLSError.self) {
            _ = try TLSConnection.client(context: try pki.serverContext(), host: "localhost", port: 1)
        }
    }
}
