/// Support for the rule that every incremental decoder gives the same result
/// however its input is split: whole, in two pieces at every split point, and
/// one byte at a time.

/// Every chunking of `input` the decoder tests use: the whole input, each
/// two-piece split (including the empty-prefix and empty-suffix cases) and
/// one byte at a time.
public func everyChunking(of input: [UInt8]) -> [[[UInt8]]] {
    var result: [[[UInt8]]] = [[input]]
    for i in 0...input.count {
        result.append([Array(input[..<i]), Array(input[i...])])
    }
    result.append(input.map { [$0] })
    return result
}

/// Runs `decode` on every chunking of `input` and compares each result with
/// the whole-input result.
///
/// - Returns: the whole-input result and a description of each chunking whose
///   result differed (empty when the decoder is split-safe). Tests assert
///   `mismatches.isEmpty`.
public func decodeEverySplit<T: Equatable>(
    _ input: [UInt8],
    decode: ([[UInt8]]) throws -> T
) rethrows -> (reference: T, mismatches: [String]) {
    let chunkings = everyChunking(of: input)
    let reference = try decode(chunkings[0])
    var mismatches: [String] = []
    for chunks in chunkings.dropFirst() {
        let got = try decode(chunks)
        if got != reference {
            let shape = chunks.count == 2 ? "split at \(chunks[0].count)" : "one byte at a time"
            mismatches.append("\(shape): got \(got), expected \(reference)")
        }
    }
    return (reference, mismatches)
}
