internal import CZlib

/// The inflate side of SPDY/3 header compression (SPDY draft 3, §2.6.10.1).
///
/// One instance is the decompression context of one connection direction:
/// every header block the peer sends must pass through it, in order, even
/// blocks whose frame is otherwise rejected, because later blocks refer back
/// to earlier ones. When the first block asks for a preset dictionary
/// (`Z_NEED_DICT`), the SPDY/3 dictionary is supplied; zlib verifies that the
/// stream names it (Adler-32 0xE3C6A7C2).
///
/// Limits: a block may not inflate to more than the `limit` given to
/// ``decompress(_:limit:streamID:)``; output beyond it is never allocated, so
/// a decompression bomb costs at most `limit` bytes.
///
/// Any error leaves the context unusable (the compression state is lost), and
/// every later call throws again: a session error. A class because the zlib
/// state must stay at one address and be freed once. Not thread-safe.
public final class SPDYHeaderBlockDecompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var failure: String?
    private var ended = false

    /// Creates a context that supplies the SPDY/3 dictionary on demand.
    public init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflateInit2_(stream, 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "inflateInit2 failed (\(rc)): out of memory")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates one compressed header block.
    ///
    /// - Parameters:
    ///   - compressed: the header block bytes of one frame, exactly.
    ///   - limit: the largest inflated size accepted.
    ///   - streamID: labels errors only.
    /// - Returns: the uncompressed header block.
    /// - Throws: ``SPDYProtocolError/headerBlockTooLarge(streamID:limit:)`` when
    ///   the output would exceed `limit`, and
    ///   ``SPDYProtocolError/headerCompressionFailed(streamID:reason:)`` for
    ///   corrupt data, a wrong dictionary, data after the end of the zlib
    ///   stream, or a context that already failed. Both are session errors.
    public func decompress(_ compressed: [UInt8], limit: Int, streamID: UInt32 = 0) throws(SPDYProtocolError) -> [UInt8] {
        if let failure { throw .headerCompressionFailed(streamID: streamID, reason: failure) }
        if compressed.isEmpty { return [] }
        if ended {
            try fail("the peer ended its zlib stream and then sent more header data", streamID)
        }
        var output = [UInt8](repeating: 0, count: min(limit + 1, max(256, compressed.count * 4)))
        var produced = 0
        let outcome: Outcome = compressed.withUnsafeBufferPointer { input in
            defer {
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                if produced == output.count {
                    // One byte past the limit is enough to know it was exceeded.
                    if produced > limit { return .tooLarge }
                    output.append(contentsOf: repeatElement(0, count: min(limit + 1, output.count * 2) - output.count))
                }
                let rc = output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress! + produced
                    stream.pointee.avail_out = UInt32(out.count - produced)
                    defer { produced = out.count - Int(stream.pointee.avail_out) }
                    return inflate(stream, Z_SYNC_FLUSH)
                }
                if produced > limit { return .tooLarge }
                switch rc {
                case Z_NEED_DICT:
                    let set = SPDYHeaderBlockDictionary.bytes.withUnsafeBufferPointer {
                        inflateSetDictionary(stream, $0.baseAddress, UInt32($0.count))
                    }
                    if set != Z_OK {
                        return .failed("the zlib stream asks for dictionary 0x\(String(stream.pointee.adler, radix: 16)), not the SPDY/3 dictionary")
                    }
                case Z_OK, Z_BUF_ERROR:
                    if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return .done }
                    if rc == Z_BUF_ERROR && stream.pointee.avail_out > 0 {
                        return .failed("inflate made no progress")
                    }
                case Z_STREAM_END:
                    ended = true
                    return stream.pointee.avail_in == 0 ? .done : .failed("data after the end of the zlib stream")
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                    return .failed(message)
                }
            }
        }
        switch outcome {
        case .done:
            output.removeSubrange(produced...)
            return output
        case .tooLarge:
            failure = "an earlier header block exceeded the size limit"
            throw .headerBlockTooLarge(streamID: streamID, limit: limit)
        case let .failed(reason):
            try fail(reason, streamID)
        }
    }

    private enum Outcome { case done, tooLarge, failed(String) }

    private func fail(_ reason: String, _ streamID: UInt32) throws(SPDYProtocolError) -> Never {
        failure = reason
        throw .headerCompressionFailed(streamID: streamID, reason: reason)
    }
}
