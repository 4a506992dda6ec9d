/// Locks out brute-force attempts: after `maxFailures` failed authentications
/// within `window` seconds from one source address, or against one user name,
/// that source or user is refused (403) for `lockout` seconds. Pure and
/// clock-injected; owned by the SIP thread.
public struct AuthFailureLimiter: Sendable {
    /// Failures that trigger a lockout (0 disables the limiter).
    public let maxFailures: Int
    /// Seconds over which failures are counted.
    public let window: Double
    /// Seconds a lockout lasts.
    public let lockout: Double

    private struct Record: Sendable {
        var failures: [Double] = []
        var lockedUntil: Double = 0
    }
    private var bySource: [String: Record] = [:]
    private var byUser: [String: Record] = [:]

    /// Creates a limiter.
    public init(maxFailures: Int, window: Double, lockout: Double) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockout = lockout
    }

    /// Whether requests from `source` or for `user` are locked out at `now`.
    public func isLocked(source: String, user: String?, now: Double) -> Bool {
        guard maxFailures > 0 else { return false }
        if let record = bySource[source], record.lockedUntil > now { return true }
        if let user, let record = byUser[user], record.lockedUntil > now { return true }
        return false
    }

    /// Records a failed authentication.
    public mutating func recordFailure(source: String, user: String?, now: Double) {
        guard maxFailures > 0 else { return }
        Self.record(&bySource[source, default: Record()], now: now, self)
        if let user { Self.record(&byUser[user, default: Record()], now: now, self) }
        if bySource.count > 100_000 { prune(now: now) }
    }

    /// Clears the source's and user's failure history after a success.
    public mutating func recordSuccess(source: String, user: String?) {
        bySource[source] = nil
        if let user { byUser[user] = nil }
    }

    private static func record(_ record: inout Record, now: Double, _ limits: AuthFailureLimiter) {
        record.failures.removeAll { now - $0 > limits.window }
        record.failures.append(now)
        if record.failures.count >= limits.maxFailures {
            record.lockedUntil = now + limits.lockout
            record.failures.removeAll()
        }
    }

    private mutating func prune(now: Double) {
        bySource = bySource.filter { $0.value.lockedUntil > now || !$0.value.failures.isEmpty }
    }
}
