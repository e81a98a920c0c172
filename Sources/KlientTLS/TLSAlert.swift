/// Names of TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2).
enum TLSAlert {
    static func name(_ code: Int) -> String {
        switch code {
        case 0: return "close notify"
        case 10: return "unexpected message"
        case 20: return "bad record MAC"
        case 22: return "record overflow"
        case 40: return "handshake failure"
        case 42: return "bad certificate"
        case 43: return "unsupported certificate"
        case 44: return "certificate revoked"
        case 45: return "certificate expired"
        case 46: return "certificate unknown"
        case 47: return "illegal parameter"
        case 48: return "unknown CA"
        case 49: return "access denied"
        case 50: return "decode error"
        case 51: return "decrypt error"
        case 70: return "protocol version"
        case 71: return "insufficient security"
        case 80: return "internal error"
        case 86: return "inappropriate fallback"
        case 90: return "user canceled"
        case 109: return "missing extension"
        case 110: return "unsupported extension"
        case 112: return "unrecognized name"
        case 113: return "bad certificate status response"
        case 115: return "unknown PSK identity"
        case 116: return "certificate required"
        case 120: return "no application protocol"
        default: return "alert \(code)"
        }
    }
}
