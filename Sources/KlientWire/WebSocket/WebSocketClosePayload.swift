/// The body of a Close frame (RFC 6455 §5.5.1): an optional 2-byte big-endian
/// status code followed by an optional UTF-8 reason.
public struct WebSocketClosePayload: Sendable, Hashable {
    /// Control frame payloads are ≤ 125 bytes, 2 of which hold the code.
    public static let maxReasonBytes = 123

    /// nil when the close frame was empty (reported locally as 1005).
    public var code: WebSocketCloseCode?
    public var reason: String

    public init(code: WebSocketCloseCode?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// The wire bytes for this close.
    ///
    /// A code that may not appear on the wire (1005, 1006, 1015, …) or a nil
    /// code gives an empty payload, because a reason cannot be sent without a
    /// code. The reason is cut to at most 123 UTF-8 bytes at a character
    /// boundary so the frame stays a legal control frame.
    public func encode() -> [UInt8] {
        guard let code, code.isValidOnWire else { return [] }
        var out: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        out.append(contentsOf: Self.truncatedReason(reason))
        return out
    }

    /// Parses and validates a received close payload.
    ///
    /// - Throws: ``WebSocketProtocolError/truncatedCloseCode`` for a 1-byte
    ///   payload, ``WebSocketProtocolError/invalidCloseCode(_:)`` for a code not
    ///   allowed on the wire (both 1002), ``WebSocketProtocolError/invalidUTF8``
    ///   for a reason that is not UTF-8 (1007).
    public static func parse<C: Collection>(_ payload: C) throws(WebSocketProtocolError) -> WebSocketClosePayload
    where C.Element == UInt8 {
        let bytes = Array(payload)
        if bytes.isEmpty { return WebSocketClosePayload(code: nil) }
        guard bytes.count >= 2 else { throw .truncatedCloseCode }
        let code = WebSocketCloseCode(UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        guard code.isValidOnWire else { throw .invalidCloseCode(code.rawValue) }
        guard let reason = String(validating: bytes[2...], as: UTF8.self) else { throw .invalidUTF8 }
        return WebSocketClosePayload(code: code, reason: reason)
    }

    static func truncatedReason(_ reason: String) -> [UInt8] {
        var utf8 = Array(reason.utf8)
        guard utf8.count > maxReasonBytes else { return utf8 }
        var end = maxReasonBytes
        // Back off over continuation bytes (10xxxxxx) so no scalar is cut in half.
        while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }
        utf8.removeSubrange(end...)
        return utf8
    }
}
