// At most one log line a second per kind of event coming from outside data.

/// Rate-limits log lines by kind.
struct AgentLogThrottle {
    private var last: [String: Double] = [:]
    private var suppressed: [String: Int] = [:]

    /// Whether a line of `kind` may be logged at `now`; `suppressed` is how many were skipped since the last one.
    mutating func allow(_ kind: String, now: Double) -> (allowed: Bool, suppressed: Int) {
        if let previous = last[kind], now - previous < 1 {
            suppressed[kind, default: 0] += 1
            return (false, 0)
        }
        if last.count > 64 { last.removeAll() }
        last[kind] = now
        let skipped = suppressed.removeValue(forKey: kind) ?? 0
        return (true, skipped)
    }
}
