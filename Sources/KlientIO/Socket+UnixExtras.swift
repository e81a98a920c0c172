#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CKlientShims

/// Bytes received together with descriptors passed over a Unix socket.
public struct ReceivedMessage: Sendable {
    /// The bytes read (empty at end of stream).
    public var bytes: [UInt8]
    /// The descriptors that arrived with them; untaken ones close with the owner.
    public let fileDescriptors: OwnedFileDescriptors
    /// True if the kernel dropped descriptors because `maxDescriptors` was too small.
    public let descriptorsTruncated: Bool
}

extension Socket {
    /// Sends `bytes` with `descriptors` attached (SCM_RIGHTS; Unix sockets).
    /// The descriptors travel with the first byte, so `bytes` must not be
    /// empty; the caller keeps its own copies open or closes them.
    /// - Throws: ``IOError`` (e.g. EBADF for an invalid descriptor, ENOTSOCK
    ///   style failures on TCP); `CancellationError`.
    public func sendFileDescriptors(_ descriptors: [Int32], bytes: [UInt8]) async throws {
        precondition(!bytes.isEmpty, "sendFileDescriptors needs at least one byte to carry the descriptors")
        let operation = "send \(descriptors.count) descriptors to \(peerAddress?.description ?? "the peer")"
        let sent: Int = try await handle.borrow(operation) { fd in
            let space = klient_cmsg_space_fds(Int32(descriptors.count))
            var control = [UInt8](repeating: 0, count: space)
            var payload = bytes
            while true {
                let result = try payload.withUnsafeMutableBytes { data in
                    try control.withUnsafeMutableBytes { controlBuffer in
                        var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                        return try withUnsafeMutablePointer(to: &vector) { vectorPointer in
                            var message = msghdr()
                            message.msg_iov = vectorPointer
                            message.msg_iovlen = 1
                            descriptors.withUnsafeBufferPointer {
                                klient_cmsg_put_fds(&message, controlBuffer.baseAddress, space, $0.baseAddress, Int32($0.count))
                            }
                            return try syscall(operation) { sendmsg(fd, &message, Int32(MSG_NOSIGNAL)) }
                        }
                    }
                }
                if let result { return result }
                try await handle.waitWritable(fd)
            }
        }
        if sent < bytes.count {
            try await write(Array(bytes[sent...]))
        }
    }

    /// Reads up to `maxBytes` bytes and any descriptors sent with them
    /// (SCM_RIGHTS, received with MSG_CMSG_CLOEXEC).
    /// - Throws: ``IOError``; `CancellationError`.
    public func receiveFileDescriptors(maxBytes: Int = 4096, maxDescriptors: Int = 16) async throws -> ReceivedMessage {
        precondition(maxBytes > 0 && maxDescriptors > 0)
        let operation = "receive descriptors from \(peerAddress?.description ?? "the peer")"
        return try await handle.borrow(operation) { fd in
            let space = klient_cmsg_space_fds(Int32(maxDescriptors))
            var control = [UInt8](repeating: 0, count: space)
            var payload = [UInt8](repeating: 0, count: maxBytes)
            var received = [Int32](repeating: -1, count: maxDescriptors)
            while true {
                var descriptorCount: Int32 = 0
                var truncated = false
                let result = try payload.withUnsafeMutableBytes { data in
                    try control.withUnsafeMutableBytes { controlBuffer in
                        var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                        return try withUnsafeMutablePointer(to: &vector) { vectorPointer in
                            var message = msghdr()
                            message.msg_iov = vectorPointer
                            message.msg_iovlen = 1
                            message.msg_control = controlBuffer.baseAddress
                            message.msg_controllen = space
                            let count = try syscall(operation) { recvmsg(fd, &message, Int32(MSG_CMSG_CLOEXEC)) }
                            if count != nil {
                                descriptorCount = klient_cmsg_get_fds(&message, &received, Int32(maxDescriptors))
                                truncated = message.msg_flags & Int32(MSG_CTRUNC) != 0
                            }
                            return count
                        }
                    }
                }
                if let result {
                    return ReceivedMessage(
                        bytes: Array(payload.prefix(result)),
                        fileDescriptors: OwnedFileDescriptors(owning: Array(received.prefix(Int(descriptorCount)))),
                        descriptorsTruncated: truncated)
                }
                try await handle.waitReadable(fd)
            }
        }
    }

    /// The process at the other end of a Unix socket (SO_PEERCRED), as it was
    /// when the connection was made.
    /// - Throws: ``IOError`` (e.g. on a TCP socket, or ``IOError/closed``).
    public func peerCredentials() throws -> (pid: pid_t, uid: uid_t, gid: gid_t) {
        try handle.borrowSync("get the peer credentials") { fd in
            var pid: Int32 = 0
            var uid: UInt32 = 0
            var gid: UInt32 = 0
            _ = try syscallBlocking("get the peer credentials (SO_PEERCRED)") {
                klient_peer_credentials(fd, &pid, &uid, &gid)
            }
            return (pid, uid, gid)
        }
    }
}
