import KlientWire
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
        for (key, value) in HTTPQuery(query: query).pairs {
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
