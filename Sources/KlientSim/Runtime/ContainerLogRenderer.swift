/// Turns log records (see ``ContainerLogFile``) into what `GET .../log`
/// sends: since-filter, tail, optional timestamps, byte limit.
struct ContainerLogRenderer {
    var timestamps: Bool
    /// Records older than this (compared as fixed-width RFC3339Nano text) are skipped.
    var cutoff: [UInt8]?
    /// Bytes still allowed by `limitBytes`; nil for no limit.
    var remaining: Int?

    init(options: PodLogOptions, now: LogTimestamp = .now()) {
        timestamps = options.timestamps
        cutoff = options.cutoff(now: now).map { Array($0.rfc3339Nano.utf8) }
        remaining = options.limitBytes
    }

    /// Whether the byte limit has been reached.
    var exhausted: Bool { remaining.map { $0 <= 0 } ?? false }

    /// Renders complete records in `bytes`; `tail` keeps only the last N records.
    mutating func render(_ bytes: [UInt8], tail: Int? = nil) -> [UInt8] {
        var records: [(stamp: ArraySlice<UInt8>, full: Bool, content: ArraySlice<UInt8>)] = []
        var start = 0
        while start < bytes.count, let newline = bytes[start...].firstIndex(of: 0x0A) {
            let line = bytes[start..<newline]
            start = newline + 1
            // `<stamp> <F|P> <content>`
            guard let space = line.firstIndex(of: 0x20), space + 1 < line.endIndex else { continue }
            let stamp = line[line.startIndex..<space]
            let full = line[space + 1] == 0x46
            let contentStart = min(space + 3, line.endIndex)
            if let cutoff, stamp.lexicographicallyPrecedes(cutoff) { continue }
            records.append((stamp, full, line[contentStart...]))
        }
        if let tail, records.count > tail { records.removeFirst(records.count - tail) }
        var out: [UInt8] = []
        for record in records {
            if timestamps {
                out.append(contentsOf: record.stamp)
                out.append(0x20)
            }
            out.append(contentsOf: record.content)
            if record.full { out.append(0x0A) }
        }
        if let limit = remaining {
            if out.count > limit { out.removeLast(out.count - limit) }
            remaining = limit - out.count
        }
        return out
    }
}
