internal import CZlib

/// The deflate side of SPDY/3 header compression (SPDY draft 3, §2.6.10.1).
///
/// One instance is **the** compression context of one connection direction:
/// every header block we send on the connection goes through it, in order,
/// because the peer inflates them all with a single context. Each block ends
/// with a zlib sync flush (`00 00 FF FF`), so the peer can decode it as soon
/// as the frame arrives, while later blocks still refer back to earlier ones.
/// The context is primed with ``SPDYHeaderBlockDictionary``.
///
/// A class because the zlib state must stay at one address and be freed once
/// (deinit calls `deflateEnd`). Not thread-safe: use it from one task at a
/// time, in the order the frames are written.
public final class SPDYHeaderBlockCompressor {
    private let stream: UnsafeMutablePointer<z_stream>

    /// Creates a context primed with the SPDY/3 dictionary.
    ///
    /// - Parameter level: zlib level 0…9 (spdystream uses 9, best compression).
    public init(level: Int32 = 9) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 and a zlib (not raw) wrapper: the wrapper's header names
        // the dictionary by its Adler-32, which inflaters check.
        var rc = deflateInit2_(stream, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "deflateInit2 failed (\(rc)): out of memory")
        rc = SPDYHeaderBlockDictionary.bytes.withUnsafeBufferPointer {
            deflateSetDictionary(stream, $0.baseAddress, UInt32($0.count))
        }
        precondition(rc == Z_OK, "deflateSetDictionary failed (\(rc))")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses one uncompressed header block (see
    /// ``SPDYHeaders/encodedBlock(streamID:)``) and returns the bytes to put in
    /// the frame, ending with a sync flush.
    ///
    /// Every returned block must reach the peer, in order: skipping one
    /// desynchronises the peer's inflater for the rest of the connection.
    public func compress(_ block: [UInt8]) -> [UInt8] {
        // Sync-flushed deflate output is at most the input plus a small overhead.
        var output = [UInt8](repeating: 0, count: block.count + block.count / 8 + 64)
        var produced = 0
        block.withUnsafeBufferPointer { input in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress! + produced
                    stream.pointee.avail_out = UInt32(out.count - produced)
                    let rc = deflate(stream, Z_SYNC_FLUSH)
                    // Z_BUF_ERROR only means "nothing left to do" on a repeat call.
                    precondition(rc == Z_OK || rc == Z_BUF_ERROR, "deflate failed (\(rc))")
                    produced = out.count - Int(stream.pointee.avail_out)
                }
            } while stream.pointee.avail_out == 0
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        output.removeSubrange(produced...)
        return output
    }
}
