/// ALPN protocol names in wire format (length-prefixed), kept alive as long
/// as the context because the server's select callback reads them.
final class ALPNList: @unchecked Sendable {
    let names: [[UInt8]]
    let wire: [UInt8]

    init(_ protocols: [String]) throws {
        var names: [[UInt8]] = []
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            // RFC 7301 §3.1: each protocol name is 1...255 bytes.
            guard (1...255).contains(bytes.count) else {
                throw TLSError(.invalidConfiguration, "ALPN protocol name \"\(name)\" must be 1...255 bytes")
            }
            names.append(bytes)
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        self.names = names
        self.wire = wire
    }

    /// Server preference order: the first of our names the client also offered.
    /// Returns the offset and length within `offered` (the client's wire list).
    func select(from offered: UnsafeBufferPointer<UInt8>) -> (offset: Int, length: Int)? {
        for name in names {
            var i = 0
            while i < offered.count {
                let length = Int(offered[i])
                let start = i + 1
                guard start + length <= offered.count else { return nil }
                if length == name.count, name.elementsEqual(offered[start..<(start + length)]) {
                    return (start, length)
                }
                i = start + length
            }
        }
        return nil
    }
}
