/// Character classes and small helpers from RFC 9110 §5.6 shared by the HTTP
/// encoders and decoders.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let crlf: [UInt8] = [0x0D, 0x0A]

    @inline(__always)
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// `tchar` (RFC 9110 §5.6.2): the characters of methods, field names and codings.
    static let tokenTable: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = true }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = true }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = true }
        for c in "!#$%&'*+-.^_`|~".utf8 { table[Int(c)] = true }
        return table
    }()

    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    static func isToken<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        !bytes.isEmpty && bytes.allSatisfy(isTokenChar)
    }

    /// field-vchar, SP or HTAB (RFC 9110 §5.5): everything except the control
    /// characters, so CR, LF and NUL can never smuggle a line break.
    @inline(__always)
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == htab || (byte >= 0x20 && byte != 0x7F)
    }

    static func isFieldValue<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        bytes.allSatisfy(isFieldValueChar)
    }

    /// A request-target byte: visible ASCII or obs-text, no whitespace or controls.
    @inline(__always)
    static func isTargetChar(_ byte: UInt8) -> Bool { byte > 0x20 && byte != 0x7F }

    static func trimmingWhitespace<S: StringProtocol>(_ s: S) -> String {
        let u = Array(s.utf8)
        guard let first = u.firstIndex(where: { $0 != sp && $0 != htab }) else { return "" }
        let last = u.lastIndex(where: { $0 != sp && $0 != htab })!
        return String(decoding: u[first...last], as: UTF8.self)
    }

    /// A short, printable rendering of untrusted bytes for error messages:
    /// at most 64 bytes, anything outside printable ASCII as `\xNN`.
    static func excerpt<C: Collection>(_ bytes: C, limit: Int = 64) -> String where C.Element == UInt8 {
        var out = ""
        for b in bytes.prefix(limit) {
            if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        if bytes.count > limit { out += "…" }
        return out
    }

    static func excerpt(_ string: String, limit: Int = 64) -> String {
        excerpt(Array(string.utf8), limit: limit)
    }

    /// Appends the decimal digits of a non-negative integer.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 { out.append(0x30 + UInt8(value)); return }
        out.append(contentsOf: String(value).utf8)
    }

    /// Parses `HTTP/<digit>.<digit>` exactly.
    static func parseVersion<C: Collection>(_ bytes: C) -> HTTPVersion? where C.Element == UInt8 {
        let b = Array(bytes)
        guard b.count == 8, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F,
              b[6] == 0x2E, (0x30...0x39).contains(b[5]), (0x30...0x39).contains(b[7])
        else { return nil }
        return HTTPVersion(major: Int(b[5] - 0x30), minor: Int(b[7] - 0x30))
    }
}
