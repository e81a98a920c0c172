import KlientIO
import KlientTestSupport
import KlientTLS
import Testing

/// Both ends of one TLS handshake over an in-memory pair.
struct HandshakeOutcome {
    let client: Result<TLSStream, any Error>
    let server: Result<TLSStream, any Error>

    func streams() throws -> (client: TLSStream, server: TLSStream) {
        (try client.get(), try server.get())
    }

    var clientError: TLSError? { client.failure as? TLSError }
    var serverError: TLSError? { server.failure as? TLSError }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Runs client and server handshakes concurrently over a fresh in-memory pair.
func handshake(client: TLSContext, server: TLSContext, host: String = "localhost",
               port: Int = 6443) async -> HandshakeOutcome {
    let (clientSide, serverSide) = MemoryStreamPair.make()
    async let serverResult: Result<TLSStream, any Error> = {
        do { return .success(try await TLSStream.server(over: serverSide, context: server)) }
        catch { return .failure(error) }
    }()
    let clientResult: Result<TLSStream, any Error>
    do { clientResult = .success(try await TLSStream.client(over: clientSide, context: client, host: host, port: port)) }
    catch { clientResult = .failure(error) }
    return HandshakeOutcome(client: clientResult, server: await serverResult)
}

/// Reads until end of stream or until `count` bytes arrived.
func readAll(_ stream: any ByteStream, count: Int = .max) async throws -> [UInt8] {
    var result: [UInt8] = []
    while result.count < count {
        let chunk = try await stream.read(maxBytes: min(256 * 1024, count - result.count))
        if chunk.isEmpty { break }
        result.append(contentsOf: chunk)
    }
    return result
}

/// Sends `message` one way and checks it arrives intact.
func expectRoundTrip(_ outcome: HandshakeOutcome, _ message: String = "ping",
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let (client, server) = try outcome.streams()
    try await client.write(Array(message.utf8))
    let got = try await readAll(server, count: message.utf8.count)
    #expect(String(decoding: got, as: UTF8.self) == message, sourceLocation: sourceLocation)
    try await server.write(Array("pong".utf8))
    let reply = try await readAll(client, count: 4)
    #expect(reply == Array("pong".utf8), sourceLocation: sourceLocation)
}
