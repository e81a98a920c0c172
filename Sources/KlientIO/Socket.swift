#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims

/// A connected, non-blocking stream socket (TCP over IPv4/IPv6, or Unix)
/// driven by a ``Reactor``.
///
/// Reads and writes try the syscall first and wait for readiness only on
/// EAGAIN. Writes loop over partial writes and, when the kernel send buffer
/// is full, wait for EPOLLOUT: a slow peer slows the writer (backpressure).
/// Sends use MSG_NOSIGNAL, so a closed peer yields ``IOError/Kind/brokenPipe``
/// instead of SIGPIPE. TCP sockets have TCP_NODELAY set.
///
/// One reader task and one writer task may use a socket concurrently;
/// ``close()`` may be called from anywhere and fails pending operations with
/// ``IOError/closed``.
public final class Socket: ByteStream {
    let handle: DescriptorHandle
    /// The peer, when known (from connect or accept).
    public let peerAddress: SocketAddress?
    private let peerName: String

    init(fd: Int32, reactor: Reactor, peer: SocketAddress?, peerName: String? = nil) {
        handle = DescriptorHandle(fd: fd, reactor: reactor)
        peerAddress = peer
        self.peerName = peerName ?? peer?.description ?? "socket pair"
    }

    /// The reactor that serves this socket.
    public var reactor: Reactor { handle.reactor }

    /// The descriptor number while open, for diagnostics; do not close it.
    public var fileDescriptor: Int32? { handle.rawValue }

    /// Connects without blocking: EINPROGRESS, then wait for writability,
    /// then read SO_ERROR.
    /// - Parameter deadline: when to give up; nil waits as long as the kernel does.
    /// - Throws: ``IOError`` naming the address (e.g. ``IOError/Kind/connectionRefused``:
    ///   nothing listens there); ``TimeoutError`` when `deadline` passes;
    ///   `CancellationError`.
    public static func connect(
        to address: SocketAddress,
        deadline: ContinuousClock.Instant? = nil,
        reactor: Reactor = .shared
    ) async throws -> Socket {
        let target = address.description
        let operation = "connect to \(target)"
        let fd = try syscallBlocking("create a socket for \(target)") {
            Glibc.socket(address.domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        let socket = Socket(fd: fd, reactor: reactor, peer: address)
        do {
            if address.family != .unix { try socket.setNoDelay(true) }
            let inProgress: Bool = try socket.handle.borrowSync(operation) { fd in
                let result = address.withSockAddr { Glibc.connect(fd, $0, $1) }
                if result == 0 { return false }
                let code = errno
                // After EINTR the connect continues asynchronously, like EINPROGRESS.
                if code == EINPROGRESS || code == EINTR { return true }
                throw IOError(errno: code, operation: operation, address: target)
            }
            if inProgress {
                let wait: @Sendable () async throws -> Void = {
                    try await socket.handle.borrow(operation) { try await socket.handle.waitWritable($0) }
                }
                if let deadline {
                    try await withDeadline(deadline, operation, reactor: reactor, operation: wait)
                } else {
                    try await wait()
                }
                let code = try socket.intOption(SOL_SOCKET, SO_ERROR, operation)
                if code != 0 { throw IOError(errno: code, operation: operation, address: target) }
            }
            return socket
        } catch {
            socket.close()
            throw error
        }
    }

    // MARK: ByteStream

    /// Reads 1...`maxBytes` bytes; an empty array means the peer half-closed.
    /// - Throws: ``IOError`` (e.g. connection reset, or ``IOError/closed``
    ///   when closed meanwhile); `CancellationError`.
    public func read(maxBytes: Int) async throws -> [UInt8] {
        precondition(maxBytes > 0, "read(maxBytes:) needs a positive maxBytes")
        return try await handle.borrow("read from \(peerName)") { fd in
            var bytes = [UInt8](repeating: 0, count: 0)
            while true {
                var wouldBlock = false
                bytes = try [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, count in
                    let received = try syscall("read from \(peerName)", address: peerName) {
                        recv(fd, buffer.baseAddress, maxBytes, 0)
                    }
                    if let received { count = received } else { wouldBlock = true }
                }
                if !wouldBlock { return bytes }
                // Do not hold maxBytes of capacity while waiting: a daemon
                // with thousands of idle connections would keep it all.
                bytes = []
                try await handle.waitReadable(fd)
            }
        }
    }

    /// Reads into caller-owned memory, returning the byte count (0 at end of
    /// stream). Avoids an allocation per read on hot paths. `buffer` must stay
    /// valid until this returns.
    /// - Throws: as ``read(maxBytes:)``.
    public func read(into buffer: UnsafeMutableRawBufferPointer) async throws -> Int {
        precondition(buffer.count > 0, "read(into:) needs a non-empty buffer")
        return try await handle.borrow("read from \(peerName)") { fd in
            while true {
                if let received = try syscall("read from \(peerName)", address: peerName, {
                    recv(fd, buffer.baseAddress, buffer.count, 0)
                }) {
                    return received
                }
                try await handle.waitReadable(fd)
            }
        }
    }

    /// Writes every byte, waiting for the peer when the send buffer is full.
    /// - Throws: ``IOError`` (broken pipe, reset, ``IOError/closed``); `CancellationError`.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await handle.borrow("write to \(peerName)") { fd in
            var offset = 0
            while offset < bytes.count {
                let sent = try bytes.withUnsafeBytes { buffer throws(IOError) in
                    try syscall("write to \(peerName)", address: peerName) {
                        send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    }
                }
                if let sent { offset += sent } else { try await handle.waitWritable(fd) }
            }
        }
    }

    /// Writes every byte of caller-owned memory, which must stay valid until
    /// this returns; same waiting and errors as the array variant.
    public func write(_ buffer: UnsafeRawBufferPointer) async throws {
        guard buffer.count > 0 else { return }
        try await handle.borrow("write to \(peerName)") { fd in
            var offset = 0
            while offset < buffer.count {
                if let sent = try syscall("write to \(peerName)", address: peerName, {
                    send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                }) {
                    offset += sent
                } else {
                    try await handle.waitWritable(fd)
                }
            }
        }
    }

    /// Sends FIN: the peer reads end of stream, and can still write back.
    /// - Throws: ``IOError`` (e.g. not connected, ``IOError/closed``).
    public func shutdownWrite() async throws {
        try handle.borrowSync("shut down writing to \(peerName)") { fd in
            _ = try syscallBlocking("shut down writing to \(peerName)", address: peerName) {
                Glibc.shutdown(fd, Int32(SHUT_WR))
            }
        }
    }

    /// Closes now; pending operations fail with ``IOError/closed``. Idempotent.
    public func close() {
        handle.close()
    }

    // MARK: options and addresses

    /// The local address (learn an ephemeral port).
    /// - Throws: ``IOError`` (e.g. ``IOError/closed``).
    public func localAddress() throws -> SocketAddress {
        try handle.borrowSync("get the local address") { fd in
            try SocketAddress.query(fd, "get the local address of a socket to \(peerName)") { getsockname($0, $1, $2) }
        }
    }

    /// Enables or disables TCP_NODELAY (TCP only).
    public func setNoDelay(_ enabled: Bool) throws {
        try setIntOption(Int32(IPPROTO_TCP), TCP_NODELAY, enabled ? 1 : 0, "set TCP_NODELAY")
    }

    /// Sets SO_SNDBUF (the kernel doubles it and stops autotuning).
    public func setSendBufferSize(_ bytes: Int) throws {
        try setIntOption(SOL_SOCKET, SO_SNDBUF, Int32(clamping: bytes), "set SO_SNDBUF")
    }

    /// Sets SO_RCVBUF (the kernel doubles it and stops autotuning).
    public func setReceiveBufferSize(_ bytes: Int) throws {
        try setIntOption(SOL_SOCKET, SO_RCVBUF, Int32(clamping: bytes), "set SO_RCVBUF")
    }

    func setIntOption(_ level: Int32, _ name: Int32, _ value: Int32, _ operation: String) throws {
        try handle.borrowSync(operation) { fd in
            var value = value
            _ = try syscallBlocking(operation) {
                setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
            }
        }
    }

    func intOption(_ level: Int32, _ name: Int32, _ operation: String) throws -> Int32 {
        try handle.borrowSync(operation) { fd in
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = try syscallBlocking(operation) { getsockopt(fd, level, name, &value, &length) }
            return value
        }
    }
}

/// Creates a connected pair of Unix stream sockets (socketpair(2)), both
/// non-blocking and served by `reactor`.
/// - Throws: ``IOError`` (e.g. EMFILE).
public func socketPair(reactor: Reactor = .shared) throws -> (Socket, Socket) {
    var fds: [Int32] = [-1, -1]
    _ = try syscallBlocking("create a socket pair") {
        socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
    }
    return (Socket(fd: fds[0], reactor: reactor, peer: nil), Socket(fd: fds[1], reactor: reactor, peer: nil))
}
