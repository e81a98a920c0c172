/// Exponential backoff with jitter for reconnect loops: 0.5 s, 1 s, 2 s, ...
/// up to `maximum`, each delay scaled by a random factor in 0.8...1.2 so
/// forwards that failed together do not retry in lock step.
struct Backoff: Sendable {
    var initial: Duration = .milliseconds(500)
    var maximum: Duration = .seconds(30)
    private(set) var failures = 0

    init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before the next attempt after one more failure.
    mutating func next() -> Duration {
        failures += 1
        let exponent = min(failures - 1, 16)
        let base = min(initial * (1 << exponent), maximum)
        return base * Double.random(in: 0.8...1.2)
    }

    mutating func reset() { failures = 0 }
}
