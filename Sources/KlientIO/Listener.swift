#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims

/// A listening stream socket (TCP over IPv4/IPv6, or Unix) that accepts
/// connections without blocking a thread.
public final class Listener: Sendable {
    let handle: DescriptorHandle
    /// The address actually bound (with the real port when 0 was requested).
    public let localAddress: SocketAddress

    private init(handle: DescriptorHandle, localAddress: SocketAddress) {
        self.handle = handle
        self.localAddress = localAddress
    }

    /// Binds and listens. TCP sockets get SO_REUSEADDR (restart without
    /// waiting out TIME_WAIT); IPv6 sockets are IPv6-only. A Unix path must
    /// not exist yet; it is removed again by ``close()``.
    /// - Throws: ``IOError`` naming the address (address in use, permission
    ///   denied, IPv6 unavailable, ...).
    public static func bind(to address: SocketAddress, backlog: Int32 = 1024, reactor: Reactor = .shared) throws -> Listener {
        let target = address.description
        let fd = try syscallBlocking("create a socket to listen at \(target)") {
            Glibc.socket(address.domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        let handle = DescriptorHandle(fd: fd, reactor: reactor)
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        do {
            if address.family != .unix {
                _ = try syscallBlocking("set SO_REUSEADDR on \(target)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) }
            }
            if address.family == .ipv6 {
                _ = try syscallBlocking("set IPV6_V6ONLY on \(target)") { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, size) }
            }
            _ = try syscallBlocking("bind to \(target)", address: target) { address.withSockAddr { Glibc.bind(fd, $0, $1) } }
            _ = try syscallBlocking("listen at \(target)", address: target) { Glibc.listen(fd, backlog) }
            let bound = try SocketAddress.query(fd, "get the bound address of \(target)") { getsockname($0, $1, $2) }
            // The kernel reports a path-bound socket's path; keep the requested form for abstract names.
            return Listener(handle: handle, localAddress: address.family == .unix ? address : bound)
        } catch {
            handle.close()
            throw error
        }
    }

    /// Waits for and accepts one connection (non-blocking, close-on-exec,
    /// TCP_NODELAY for TCP). Aborted handshakes are skipped.
    /// - Throws: ``IOError`` (``IOError/Kind/tooManyOpenFiles`` leaves the
    ///   listener usable; ``IOError/closed`` after ``close()``); `CancellationError`.
    public func accept() async throws -> Socket {
        let operation = "accept a connection at \(localAddress)"
        let (fd, peer): (Int32, SocketAddress?) = try await handle.borrow(operation) { listenerFD in
            while true {
                var storage = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let accepted: Int32?
                do {
                    accepted = try withUnsafeMutablePointer(to: &storage) { pointer throws(IOError) in
                        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(IOError) in
                            try syscall(operation) {
                                klient_accept4(listenerFD, address, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                            }
                        }
                    }
                } catch let error as IOError where error.errno == ECONNABORTED {
                    continue
                }
                if let accepted { return (accepted, SocketAddress(&storage, length: length)) }
                try await handle.waitReadable(listenerFD)
            }
        }
        let socket = Socket(fd: fd, reactor: handle.reactor, peer: peer,
                            peerName: localAddress.family == .unix ? "a client of \(localAddress)" : nil)
        if localAddress.family != .unix { try? socket.setNoDelay(true) }
        return socket
    }

    /// Stops listening, fails a pending ``accept()`` with ``IOError/closed``
    /// and removes a Unix socket file. Idempotent.
    public func close() {
        let wasOpen = !handle.isClosing
        handle.close()
        if wasOpen, let path = localAddress.path, !path.hasPrefix("@") {
            _ = unlink(path)
        }
    }
}
