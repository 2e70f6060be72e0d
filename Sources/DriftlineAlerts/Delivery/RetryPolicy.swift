import Foundation

/// Exponential back-off with jitter between delivery attempts.
///
/// The delay after attempt `n` (1-based) is `min(maximum, initial × multiplier^(n−1))`, scaled by a factor drawn
/// uniformly from `[1 − jitter, 1]` ("equal jitter" for 0.5, AWS Architecture Blog, "Exponential Backoff and
/// Jitter", 2015), so receivers coming back up are not hit by every sender at once. A `Retry-After` from the
/// receiver replaces the back-off, capped at `maximum`. The random source comes in as an argument.
public struct RetryPolicy: Hashable, Sendable {
    public var initial: Duration
    public var multiplier: Double
    public var maximum: Duration
    /// Share of the delay that is random, 0…1.
    public var jitter: Double
    /// Attempts before giving up on a message that keeps failing with retryable errors; nil retries forever
    /// (the default: a notification is never dropped while its receiver may come back).
    public var maximumAttempts: Int?

    public init(
        initial: Duration = .seconds(1), multiplier: Double = 2, maximum: Duration = .seconds(300),
        jitter: Double = 0.5, maximumAttempts: Int? = nil
    ) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
        self.maximumAttempts = maximumAttempts
    }

    /// The delay before the attempt after `attempts` failed ones; `unit` is a uniform draw in `[0, 1)`.
    public func delay(afterAttempts attempts: Int, retryAfter: Duration? = nil, unit: Double) -> Duration {
        if let retryAfter { return min(retryAfter, maximum) }
        let exponent = Double(max(0, attempts - 1))
        let base = min(maximum.timeInterval, initial.timeInterval * pow(multiplier, exponent))
        let scale = 1 - jitter * min(max(unit, 0), 1)
        return .milliseconds(Int64((base * scale * 1_000).rounded()))
    }
}
