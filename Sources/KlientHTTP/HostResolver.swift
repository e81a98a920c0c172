import Dispatch
import KlientIO
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Resolves host names to socket addresses. IP literals never touch the
/// resolver; names go through getaddrinfo, which blocks, so it runs on a
/// Dispatch queue and never on the cooperative pool.
enum HostResolver {
    private static let queue = DispatchQueue(label: "klient.resolver", attributes: .concurrent)

    static func resolve(host: String, port: Int) async throws -> [SocketAddress] {
        if let literal = try? SocketAddress(host: host, port: UInt16(port)) { return [literal] }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try lookup(host: host, port: port) })
            }
        }
    }

    private static func lookup(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let list else {
            throw HTTPClientError.unresolvableHost(host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        var out: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let entry = cursor {
            if let address = numericHost(entry.pointee),
               let socketAddress = try? SocketAddress(host: address, port: UInt16(port)),
               !out.contains(socketAddress) {
                out.append(socketAddress)
            }
            cursor = entry.pointee.ai_next
        }
        if out.isEmpty { throw HTTPClientError.unresolvableHost(host, reason: "no IPv4 or IPv6 address") }
        return out
    }

    private static func numericHost(_ info: addrinfo) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let rc = getnameinfo(info.ai_addr, info.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        guard rc == 0 else { return nil }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
