#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
@testable import KlientIO

extension KlientIOTests {
    @Suite struct UnixSocketTests {
        @Test func passesAPipeWithSCMRightsAndReadsThroughIt() async throws {
            let (a, b) = try socketPair()
            defer { a.close(); b.close() }
            let pipe = try Pipe()
            try await a.sendFileDescriptors([pipe.readEnd.rawValue], bytes: Array("fd".utf8))
            let writeEnd = pipe.keepingWriteEnd()  // our read end closes; the received one stays valid

            let message = try await b.receiveFileDescriptors()
            #expect(message.bytes == Array("fd".utf8))
            #expect(message.fileDescriptors.count == 1)
            #expect(!message.descriptorsTruncated)
            guard let received = message.fileDescriptors.take(0) else {
                Issue.record("no descriptor arrived")
                return
            }
            if case .some = message.fileDescriptors.take(0) {
                Issue.record("a descriptor can be taken only once")
            }

            var text = Array("through the pipe".utf8)
            #expect(write(writeEnd.rawValue, &text, text.count) == text.count)
            let reactor = Reactor.shared
            var buffer = [UInt8](repeating: 0, count: 64)
            let fd = received.rawValue
            while true {
                if let count = try syscall("read the received pipe", { read(fd, &buffer, 64) }) {
                    #expect(Array(buffer.prefix(count)) == text)
                    break
                }
                try await reactor.waitReadable(fd)
            }
            reactor.deregister(fd)
        }

        @Test func processWideUntakenReceivedDescriptorsAreClosed() async throws {
            let (a, b) = try socketPair()
            defer { a.close(); b.close() }
            let pipe = try Pipe()
            let before = try ProcessStats.openFileDescriptorCount()
            try await a.sendFileDescriptors([pipe.readEnd.rawValue, pipe.writeEnd.rawValue], bytes: [0])
            do {
                let message = try await b.receiveFileDescriptors()
                #expect(message.fileDescriptors.count == 2)
                #expect(try ProcessStats.openFileDescriptorCount() == before + 2)
            }
            #expect(try ProcessStats.openFileDescriptorCount() == before)
        }

        @Test func peerCredentialsAreOurs() async throws {
            let (a, b) = try socketPair()
            defer { a.close(); b.close() }
            let credentials = try a.peerCredentials()
            #expect(credentials.pid == getpid())
            #expect(credentials.uid == getuid())
            #expect(credentials.gid == getgid())

            let path = temporarySocketPath("peercred")
            unlink(path)
            let listener = try Listener.bind(to: .unix(path: path))
            defer { listener.close() }
            let client = try await Socket.connect(to: listener.localAddress)
            let server = try await listener.accept()
            defer { client.close(); server.close() }
            #expect(try server.peerCredentials().pid == getpid())
            #expect(try client.peerCredentials().uid == getuid())
        }
    }
}
