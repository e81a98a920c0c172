import Foundation
import KlientIO

/// `klient-bench echo-server [--listen 127.0.0.1:0]`: a TCP echo server, the
/// "pod" behind the port-forward benchmarks (scripts/bench-forward.sh maps a
/// klient-sim pod port to it with the `klient-sim/port.P` annotation).
///
/// Prints `listening on HOST:PORT` once bound, then echoes every connection
/// until killed. Each connection is a task on the reactor, not a thread: a
/// read into one buffer, the same bytes written back (a slow reader slows its
/// writer: backpressure), and the peer's FIN answered with ours once all
/// echoed bytes are written (half-close aware).
func echoServer(_ arguments: [String]) async throws {
    var listen = "127.0.0.1:0"
    var bufferSize = 64 * 1024
    var it = arguments.makeIterator()
    while let arg = it.next() {
        switch arg {
        case "--listen":
            guard let value = it.next(), !value.isEmpty else { throw BenchError("--listen needs HOST:PORT") }
            listen = value
        case "--buffer-size":
            guard let n = it.next().flatMap(Int.init), n > 0 else { throw BenchError("--buffer-size needs a positive number") }
            bufferSize = n
        case "-h", "--help":
            print("usage: klient-bench echo-server [--listen 127.0.0.1:0] [--buffer-size BYTES]")
            return
        default: throw BenchError("echo-server: unknown argument \(arg)")
        }
    }
    try ProcessStats.raiseFileDescriptorLimit()
    let listener = try Listener.bind(to: SocketAddress(parsing: listen), backlog: 4096)
    print("listening on \(listener.localAddress)")
    fflush(nil) // the script waits for this line
    let size = bufferSize
    await withDiscardingTaskGroup { group in
        while true {
            let socket: Socket
            do {
                socket = try await listener.accept()
            } catch let error as IOError where error.kind == .closed {
                return
            } catch {
                // EMFILE and the like: say so, give the open connections time to end, keep serving.
                FileHandle.standardError.write(Data("echo-server: \(error)\n".utf8))
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            group.addTask { await echo(socket, bufferSize: size) }
        }
    }
}

/// Echoes one connection until the peer's FIN (answered with ours) or an error.
private func echo(_ socket: Socket, bufferSize: Int) async {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    defer {
        buffer.deallocate()
        socket.close()
    }
    do {
        while true {
            let count = try await socket.read(into: buffer)
            if count == 0 {
                try await socket.shutdownWrite()
                return
            }
            try await socket.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    } catch {
        // A reset or a peer that closed without reading: the connection is over either way.
    }
}
