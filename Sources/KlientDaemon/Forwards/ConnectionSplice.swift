import KlientIO

/// Copies bytes both ways between a local client and a connection to the pod
/// until both directions end.
///
/// Each direction reads one chunk and writes it before reading the next, so
/// a slow reader on either side slows its writer (memory per connection is
/// bounded by two chunks). End of stream on one side half-closes the other
/// (a FIN through a tunnel; channel mode has no half-close, so there the pod
/// side stays open until the pod ends it). An error on either side closes both.
enum ConnectionSplice {
    static func run(local: Socket, remote: ReadyConnection, status: ForwardStatus) async {
        let stream = remote.stream
        await withTaskGroup(of: Void.self) { group in
            group.addTask { // pod -> local
                var result = await remote.firstRead()
                while true {
                    switch result {
                    case .success(let bytes) where bytes.isEmpty:
                        try? await local.shutdownWrite()
                        return
                    case .success(let bytes):
                        do { try await local.write(bytes) } catch {
                            local.close()
                            stream.close()
                            return
                        }
                        status.addBytesIn(bytes.count)
                    case .failure:
                        local.close()
                        stream.close()
                        return
                    }
                    do { result = .success(try await stream.read(maxBytes: ReadyConnection.chunkSize)) } catch {
                        result = .failure(error)
                    }
                }
            }
            group.addTask { // local -> pod
                while true {
                    let bytes: [UInt8]
                    do { bytes = try await local.read(maxBytes: ReadyConnection.chunkSize) } catch {
                        local.close()
                        stream.close()
                        return
                    }
                    if bytes.isEmpty {
                        try? await stream.shutdownWrite()
                        return
                    }
                    do { try await stream.write(bytes) } catch {
                        local.close()
                        stream.close()
                        return
                    }
                    status.addBytesOut(bytes.count)
                }
            }
        }
        local.close()
        stream.close()
    }
}
