/// A token bucket: `rate` tokens a second, holding at most `burst`. Pure and
/// clock-injected.
struct TokenBucket: Sendable {
    private var tokens: Double
    private var updated: Double
    /// When a refusal by this bucket was last logged (rate-limits the log line).
    var lastLogged = -Double.infinity

    /// A full bucket at `now`.
    init(burst: Double, now: Double) {
        tokens = burst
        updated = now
    }

    /// Takes one token. Returns nil when there was one, else the whole seconds
    /// until there will be (at least 1): the Retry-After value.
    mutating func take(rate: Double, burst: Double, now: Double) -> Int? {
        if now > updated {
            tokens = min(burst, tokens + (now - updated) * rate)
            updated = now
        }
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        let wait = (1 - tokens) / max(rate, 1e-9)
        return Int(min(3600, max(1, wait.rounded(.up))))
    }
}
