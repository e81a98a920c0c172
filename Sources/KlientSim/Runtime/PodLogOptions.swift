/// The query of `GET /api/v1/namespaces/NS/pods/NAME/log` (PodLogOptions).
public struct PodLogOptions: Sendable, Equatable {
    public var container: String?
    public var follow = false
    /// The last terminated instance instead of the current one.
    public var previous = false
    /// Prefix each line with its RFC3339Nano time and a space.
    public var timestamps = false
    public var tailLines: Int?
    public var sinceSeconds: Int?
    public var sinceTime: LogTimestamp?
    public var limitBytes: Int?

    public init() {}

    /// Parses a URL query (`a=b&c=d`, percent-encoded). Unknown keys are ignored.
    /// - Throws: ``PodLogOptionsError`` naming the bad parameter (the API answers 400).
    public init(query: Substring) throws(PodLogOptionsError) {
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.percentDecode(parts[0])
            let value = parts.count > 1 ? Self.percentDecode(parts[1]) : ""
            func integer(min: Int) throws(PodLogOptionsError) -> Int {
                guard let n = Int(value) else { throw .notANumber(key, value) }
                guard n >= min else { throw .outOfRange(key, n, min: min) }
                return n
            }
            func flag() throws(PodLogOptionsError) -> Bool {
                switch value.lowercased() {
                case "", "true", "1", "t": return true
                case "false", "0", "f": return false
                default: throw .notABoolean(key, value)
                }
            }
            switch key {
            case "container": container = value.isEmpty ? nil : value
            case "follow": follow = try flag()
            case "previous": previous = try flag()
            case "timestamps": timestamps = try flag()
            case "tailLines": tailLines = try integer(min: 0)
            case "sinceSeconds": sinceSeconds = try integer(min: 1)
            case "limitBytes": limitBytes = try integer(min: 1)
            case "sinceTime":
                guard let t = LogTimestamp(parsing: value) else { throw .badTime(value) }
                sinceTime = t
            default: continue
            }
        }
        if sinceSeconds != nil, sinceTime != nil { throw .sinceConflict }
    }

    /// The earliest time to include, from `sinceSeconds` or `sinceTime`.
    public func cutoff(now: LogTimestamp = .now()) -> LogTimestamp? {
        if let sinceTime { return sinceTime }
        if let sinceSeconds { return LogTimestamp(nanoseconds: now.nanoseconds - Int64(sinceSeconds) * 1_000_000_000) }
        return nil
    }

    static func percentDecode(_ text: Substring) -> String {
        guard text.contains("%") || text.contains("+") else { return String(text) }
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x41...0x46: return b - 0x37
            case 0x61...0x66: return b - 0x57
            default: return nil
            }
        }
        while let b = bytes.popFirst() {
            if b == 0x25, bytes.count >= 2, let h = hex(bytes[bytes.startIndex]), let l = hex(bytes[bytes.startIndex + 1]) {
                out.append(h << 4 | l)
                bytes.removeFirst(2)
            } else if b == 0x2B {
                out.append(0x20)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A log query parameter the server refuses (400 BadRequest).
public enum PodLogOptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    case notANumber(String, String)
    case outOfRange(String, Int, min: Int)
    case notABoolean(String, String)
    case badTime(String)
    case sinceConflict

    public var description: String {
        switch self {
        case .notANumber(let key, let value): "\(key): Invalid value: \"\(value)\": must be an integer"
        case .outOfRange(let key, let value, let min):
            "\(key): Invalid value: \(value): must be greater than \(min == 0 ? "or equal to 0" : String(min - 1))"
        case .notABoolean(let key, let value): "\(key): Invalid value: \"\(value)\": must be true or false"
        case .badTime(let value): "sinceTime: Invalid value: \"\(value)\": must be an RFC 3339 time"
        case .sinceConflict: "at most one of `sinceTime` or `sinceSeconds` may be specified"
        }
    }
}
