import KlientIO
import KlientTLS

/// Opens transport connections to an ``HTTPEndpoint``: TCP to each resolved
/// address in turn, then TLS for `https` (with session resumption through the
/// endpoint's `TLSContext`).
enum Connector {
    struct Connection {
        let stream: any ByteStream
        /// Set for TLS connections.
        let tls: TLSHandshakeInfo?
    }

    static func connect(to endpoint: HTTPEndpoint, defaultTLS: @escaping @Sendable () throws -> TLSContext,
                        timeout: Duration) async throws -> Connection {
        try await withTimeout(timeout, "connecting to \(endpoint)") {
            let addresses = try await HostResolver.resolve(host: endpoint.host, port: endpoint.port)
            var lastError: (any Error)?
            for address in addresses {
                do {
                    let socket = try await Socket.connect(to: address)
                    guard endpoint.scheme == .https else { return Connection(stream: socket, tls: nil) }
                    do {
                        let context = try endpoint.tls ?? defaultTLS()
                        let tls = try await TLSStream.client(over: socket, context: context,
                                                             host: endpoint.host, port: endpoint.port)
                        return Connection(stream: tls, tls: tls.handshakeInfo)
                    } catch {
                        socket.close()
                        throw error
                    }
                } catch let error as IOError {
                    lastError = error // try the next address (e.g. IPv6 then IPv4)
                }
            }
            throw lastError ?? HTTPClientError.unresolvableHost(endpoint.host, reason: "no address")
        }
    }
}
