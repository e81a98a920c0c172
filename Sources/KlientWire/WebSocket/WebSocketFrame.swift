/// One WebSocket frame (RFC 6455 §5.2) with its payload in clear text.
///
/// `maskingKey` records the key a received frame was masked with (the decoder
/// has already unmasked `payload`); on a frame to be sent it injects the key a
/// client encoder uses instead of a fresh random one (tests; RFC 6455 §5.3
/// requires unpredictable keys on the wire otherwise).
public struct WebSocketFrame: Sendable, Hashable {
    public var fin: Bool
    public var rsv1: Bool
    public var rsv2: Bool
    public var rsv3: Bool
    public var opcode: WebSocketOpcode
    public var maskingKey: WebSocketMaskingKey?
    public var payload: [UInt8]

    public init(
        fin: Bool = true,
        rsv1: Bool = false,
        rsv2: Bool = false,
        rsv3: Bool = false,
        opcode: WebSocketOpcode,
        maskingKey: WebSocketMaskingKey? = nil,
        payload: [UInt8] = []
    ) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payload = payload
    }
}
