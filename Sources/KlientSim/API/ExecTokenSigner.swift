import Foundation
import KlientWire

/// Short-lived bearer tokens for the exec credential plugin
/// (`klient-sim credential`): `ksim1.<user>.<issuedMillis>.<expiresUnix>.<mac>`
/// where mac is HMAC-SHA1 (RFC 2104) over the first four parts with a key
/// kept in the state directory, so the plugin can mint tokens the running
/// server verifies without talking to it.
public struct ExecTokenSigner: Sendable {
    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// A fresh random 32-byte key.
    public static func randomKey() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }

    /// What a valid token says.
    public struct Claims: Sendable, Equatable {
        public var user: String
        public var issuedAtMillis: UInt64
        public var expiresAt: UInt64
    }

    /// Mints a token for `user` (no dots) valid for `lifetime` seconds from `now`.
    public func mint(user: String, lifetime: Int, now: Date = Date()) -> (token: String, expiresAt: Date) {
        let issued = UInt64(now.timeIntervalSince1970 * 1000)
        let expires = UInt64(now.timeIntervalSince1970) + UInt64(max(1, lifetime))
        let body = "ksim1.\(user.replacingOccurrences(of: ".", with: "-")).\(issued).\(expires)"
        return (body + "." + Self.hex(mac(body)), Date(timeIntervalSince1970: TimeInterval(expires)))
    }

    /// The claims of a well-formed token with a valid MAC (expiry not checked).
    public func verify(_ token: String) -> Claims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "ksim1", let issued = UInt64(parts[2]), let expires = UInt64(parts[3]) else { return nil }
        let body = parts[0...3].joined(separator: ".")
        let expected = Self.hex(mac(body))
        // Constant-time comparison: the MAC is a secret-derived value.
        let given = Array(parts[4].utf8), want = Array(expected.utf8)
        guard given.count == want.count else { return nil }
        var diff: UInt8 = 0
        for i in want.indices { diff |= given[i] ^ want[i] }
        guard diff == 0 else { return nil }
        return Claims(user: String(parts[1]), issuedAtMillis: issued, expiresAt: expires)
    }

    func mac(_ message: String) -> [UInt8] {
        let blockSize = 64
        var k = key.count > blockSize ? SHA1.hash(key) : key
        k += [UInt8](repeating: 0, count: blockSize - k.count)
        var inner = SHA1()
        inner.update(k.map { $0 ^ 0x36 })
        inner.update(Array(message.utf8))
        let innerHash = inner.finalize()
        var outer = SHA1()
        outer.update(k.map { $0 ^ 0x5C })
        outer.update(innerHash)
        return outer.finalize()
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
