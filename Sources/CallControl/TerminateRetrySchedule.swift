// When to retry an unacknowledged `terminate`: exponential backoff from one
// second, capped at thirty, given up after a horizon. Pure, for tests.

/// The backoff of terminate retries.
public struct TerminateRetrySchedule: Sendable, Equatable {
    /// The first wait.
    public static let initialDelay: Duration = .seconds(1)
    /// The longest wait between attempts.
    public static let maximumDelay: Duration = .seconds(30)

    /// How long after the first attempt retries stop.
    public let horizon: Duration
    /// Failed attempts so far.
    public private(set) var attempts = 0

    /// Creates a schedule that gives up `horizon` after the first attempt.
    public init(horizon: Duration) { self.horizon = horizon }

    /// After a failed attempt, `elapsed` since the first: the wait before the next
    /// attempt, or nil to give up. A wait never runs past the horizon, nor past
    /// `cutoff` (the time left when the gateway is shutting down).
    public mutating func nextDelay(elapsed: Duration, cutoff: Duration? = nil) -> Duration? {
        attempts += 1
        var left = horizon - elapsed
        if let cutoff { left = min(left, cutoff) }
        guard left > .zero else { return nil }
        var delay = Self.initialDelay
        for _ in 1..<min(attempts, 8) { delay = min(delay * 2, Self.maximumDelay) }
        return min(delay, left)
    }
}
