// Bearer-token checks for the operator APIs (onboarding, admin), with failures
// counted per source address and locked out the way SIP digest failures are.

public import Foundation

/// Checks an operator API's bearer token in constant time and locks out a
/// source address after too many wrong tokens. The table is bounded: when full,
/// expired records go first, then the oldest.
public actor BearerAuthGuard {
    /// The outcome of a check.
    public enum Verdict: Sendable, Equatable {
        /// The token matched.
        case allowed
        /// Missing or wrong token (401); `log` is false for refusals within a second of
        /// the last one logged (at most one log line a second, whatever the flood).
        case refused(log: Bool)
        /// The source is locked out (429); it may try again after the given seconds.
        case locked(retryAfter: Int)
    }

    private struct Record {
        var windowStart: Double
        var failures: Int
        var lockedUntil: Double
    }

    private let token: [UInt8]
    private let maxFailures: Int
    private let window: Double
    private let lockout: Double
    private let capacity: Int
    private let now: @Sendable () -> Double
    private var records: [String: Record] = [:]
    private var lastLogged: Double = -.infinity

    /// Creates a guard for `token`: `maxFailures` wrong tokens within `window`
    /// seconds lock the source for `lockout` seconds (0 failures disables locking).
    public init(token: String, maxFailures: Int = 10, window: Double = 60, lockout: Double = 300,
                capacity: Int = 4096, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.token = Array(token.utf8)
        self.maxFailures = maxFailures
        self.window = window
        self.lockout = lockout
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Checks the `Authorization` header value sent from `source`.
    public func check(authorization: String?, source: String) -> Verdict {
        let time = now()
        if let record = records[source], record.lockedUntil > time {
            return .locked(retryAfter: max(1, Int((record.lockedUntil - time).rounded(.up))))
        }
        if let authorization, authorization.hasPrefix("Bearer "),
           Self.constantTimeEqual(Array(authorization.utf8.dropFirst(7)), token) {
            return .allowed
        }
        recordFailure(source: source, at: time)
        let log = time - lastLogged >= 1
        if log { lastLogged = time }
        return .refused(log: log)
    }

    private func recordFailure(source: String, at time: Double) {
        guard maxFailures > 0 else { return }
        var record = records[source] ?? Record(windowStart: time, failures: 0, lockedUntil: 0)
        if time - record.windowStart > window { record = Record(windowStart: time, failures: 0, lockedUntil: 0) }
        record.failures += 1
        if record.failures >= maxFailures { record.lockedUntil = time + lockout }
        if records[source] == nil, records.count >= capacity { evict(at: time) }
        records[source] = record
    }

    private func evict(at time: Double) {
        records = records.filter { $0.value.lockedUntil > time || time - $0.value.windowStart <= window }
        if records.count >= capacity, let oldest = records.min(by: { $0.value.windowStart < $1.value.windowStart }) {
            records[oldest.key] = nil
        }
    }

    /// Compares in time that depends only on the lengths.
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
