import Foundation

/// Timestamps and identifiers as Kubernetes writes them.
public enum SimClock {
    /// RFC 3339 UTC time with second precision, e.g. `2025-01-02T03:04:05Z`.
    public static func timestamp(_ date: Date = Date()) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    /// Parses an RFC 3339 UTC timestamp (`...Z`, optional fraction) written by ``timestamp(_:)``.
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    /// A random lower-case UUID (metadata.uid).
    public static func uid() -> String { UUID().uuidString.lowercased() }

    /// Five characters as the API server appends to a `generateName`.
    public static func randomSuffix(_ count: Int = 5) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }
}
