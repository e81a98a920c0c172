#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One message of a Kubernetes channel protocol (`v5`/`v4`/`v1` and their
/// base64 variants): data for a channel, or a v5 CLOSE.
///
/// Wire forms (one WebSocket message each):
/// - binary protocols: BINARY `[channel] + payload`; v5 CLOSE is `[0xFF, channel]`;
/// - base64 protocols: TEXT `'0'+channel` followed by base64(payload).
public enum KubernetesChannelMessage: Sendable, Hashable {
    case data(channel: UInt8, payload: [UInt8])
    /// v5 only: the sender half-closed `channel` (kubectl sends it for stdin at EOF).
    case close(channel: UInt8)

    /// The WebSocket opcode and payload that carry this message.
    ///
    /// Base64 protocols need channel < 80 so the prefix stays ASCII. `.close`
    /// exists only in v5: check ``KubernetesChannelProtocol/supportsHalfClose``
    /// before sending one.
    public func encode(for proto: KubernetesChannelProtocol) -> (opcode: WebSocketOpcode, payload: [UInt8]) {
        switch self {
        case .close(let channel):
            return (.binary, [KubernetesChannelID.close.rawValue, channel])
        case .data(let channel, let payload):
            if proto.isBase64 {
                precondition(channel < 80, "base64 channel protocols cannot name channel \(channel)")
                var out: [UInt8] = [0x30 + channel]
                out.append(contentsOf: Array(Data(payload).base64EncodedString().utf8))
                return (.text, out)
            }
            let out = [UInt8](unsafeUninitializedCapacity: payload.count + 1) { buf, count in
                buf[0] = channel
                _ = UnsafeMutableBufferPointer(rebasing: buf[1...]).initialize(from: payload)
                count = payload.count + 1
            }
            return (.binary, out)
        }
    }

    /// Decodes a received WebSocket message's payload (TEXT or BINARY; both
    /// are accepted because clients such as Python send TEXT).
    ///
    /// Returns nil for an empty message, which the API server skips too.
    /// Unknown channels are returned as data; receivers ignore them.
    ///
    /// - Throws: ``KubernetesChannelError`` for a bad base64 prefix or body,
    ///   or (v5) a CLOSE whose length ≠ 2 or whose channel id ≥ 5.
    public static func decode(_ message: [UInt8], protocol proto: KubernetesChannelProtocol) throws(KubernetesChannelError) -> KubernetesChannelMessage? {
        guard let first = message.first else { return nil }
        if proto.isBase64 {
            guard first >= 0x30 else { throw .invalidBase64ChannelPrefix(first) }
            let channel = first - 0x30
            guard let decoded = Data(base64Encoded: Data(message[1...])) else { throw .invalidBase64(channel: channel) }
            return .data(channel: channel, payload: [UInt8](decoded))
        }
        if proto.supportsHalfClose && first == KubernetesChannelID.close.rawValue {
            guard message.count == 2 else { throw .invalidCloseLength(message.count) }
            guard Int(message[1]) < KubernetesChannelID.execChannelCount else { throw .closeOfUnknownChannel(message[1]) }
            return .close(channel: message[1])
        }
        return .data(channel: first, payload: Array(message[1...]))
    }

    /// Appends a complete WebSocket BINARY frame carrying `[channel] + payload`
    /// to `buffer`, copying (and for a client, masking) the payload once. The
    /// fast path for binary protocols: no intermediate message array.
    public static func encodeBinaryFrame(
        channel: UInt8, payload: UnsafeRawBufferPointer, encoder: WebSocketFrameEncoder,
        maskingKey: WebSocketMaskingKey? = nil, into buffer: inout [UInt8]
    ) {
        let key = encoder.effectiveKey(maskingKey)
        let length = payload.count + 1
        let start = buffer.count
        buffer.reserveCapacity(start + WebSocketFrameEncoder.headerLength(payloadLength: length, masked: key != nil) + length)
        withUnsafeTemporaryAllocation(byteCount: WebSocketFrameEncoder.maxHeaderLength, alignment: 1) { header in
            let n = WebSocketFrameEncoder.writeHeader(fin: true, rsv: 0, opcode: .binary, payloadLength: length,
                                                      key: key, to: header.baseAddress!)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: header[..<n]))
        }
        let bodyStart = buffer.count
        buffer.append(channel)
        buffer.append(contentsOf: payload)
        if let key {
            buffer.withUnsafeMutableBytes { all in
                key.apply(to: UnsafeMutableRawBufferPointer(rebasing: all[bodyStart...]))
            }
        }
    }
}
