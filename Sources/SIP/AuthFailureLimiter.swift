/// Locks out password guessing without letting a stranger lock out a real phone.
///
/// Only real password failures are counted (a wrong response on a nonce we
/// issued to that address, for a user that exists); the caller decides that.
/// They are counted by source address and by user name separately: after
/// `maxFailures` within `window` seconds the source, or the user, is locked for
/// `lockout` seconds. A locked source is refused whatever it claims. A locked
/// user is refused from every address except those that authenticated as that
/// user within `knownGoodTime` seconds (a bounded known-good table): the phone
/// keeps working from its usual address while a stranger hammers its name from
/// elsewhere. A known-good address loses that standing after `maxFailures`
/// failures of its own, so it cannot guess without limit either.
///
/// Every table is a `BoundedLRU` (O(1) per request, least recently used evicted
/// when full); records expire by their timestamps. Clock-injected; owned by the
/// SIP thread.
public struct AuthFailureLimiter: Sendable {
    /// Why a request is refused.
    public enum Lock: Sendable, Equatable {
        /// The source address is locked.
        case source
        /// The user name is locked and this address is not known-good for it.
        case user
    }

    /// A lockout that has just begun (to be logged once).
    public struct Lockout: Sendable, Equatable {
        /// What is locked.
        public var scope: Lock
        /// The source address or user name.
        public var key: String
        /// When the lock ends.
        public var until: Double
    }

    /// Failures that trigger a lockout (0 disables the limiter).
    public let maxFailures: Int
    /// Seconds over which failures are counted.
    public let window: Double
    /// Seconds a lockout lasts.
    public let lockout: Double
    /// Seconds an address stays known-good for a user after it authenticated.
    public let knownGoodTime: Double

    private struct Record: Sendable {
        var windowStart: Double
        var failures: Int
        var lockedUntil: Double
    }
    private struct KnownGood: Sendable {
        var lastSuccess: Double
        var failures: Int
    }
    private var bySource: BoundedLRU<String, Record>
    private var byUser: BoundedLRU<String, Record>
    private var knownGood: BoundedLRU<String, KnownGood>
    private var goodSources: BoundedLRU<String, Double>

    /// Creates a limiter whose tables hold at most `tableSize` entries each.
    public init(maxFailures: Int, window: Double, lockout: Double, knownGoodTime: Double = 86400, tableSize: Int = 65536) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockout = lockout
        self.knownGoodTime = knownGoodTime
        bySource = BoundedLRU(capacity: tableSize)
        byUser = BoundedLRU(capacity: tableSize)
        knownGood = BoundedLRU(capacity: tableSize)
        goodSources = BoundedLRU(capacity: tableSize)
    }

    /// Whether some user authenticated from `source` within `knownGoodTime`.
    public func authenticatedRecently(source: String, now: Double) -> Bool {
        guard let last = goodSources.peek(source) else { return false }
        return now - last <= knownGoodTime
    }

    /// The number of source addresses with a failure record.
    public var trackedSources: Int { bySource.count }

    /// Why a request from `source` claiming `user` is refused at `now`, or nil when it may proceed.
    public func lock(source: String, user: String?, now: Double) -> Lock? {
        guard maxFailures > 0 else { return nil }
        if let user, isKnownGood(source: source, user: user, now: now) { return nil }
        if let record = bySource.peek(source), record.lockedUntil > now { return .source }
        if let user, let record = byUser.peek(user), record.lockedUntil > now { return .user }
        return nil
    }

    /// Records a password failure; returns the lockouts it starts (each is returned once).
    public mutating func recordFailure(source: String, user: String, now: Double) -> [Lockout] {
        guard maxFailures > 0 else { return [] }
        var started: [Lockout] = []
        if let until = Self.count(&bySource, key: source, now: now, self) { started.append(Lockout(scope: .source, key: source, until: until)) }
        if let until = Self.count(&byUser, key: user, now: now, self) { started.append(Lockout(scope: .user, key: user, until: until)) }
        let pair = Self.pairKey(source: source, user: user)
        if var entry = knownGood.peek(pair) {
            entry.failures += 1
            if entry.failures >= maxFailures { knownGood.removeValue(for: pair) } else { knownGood.set(entry, for: pair) }
        }
        return started
    }

    /// Records a successful authentication: the address becomes known-good for
    /// the user and its own failure history is cleared. A lock on the user stays.
    public mutating func recordSuccess(source: String, user: String, now: Double) {
        goodSources.set(now, for: source)
        guard maxFailures > 0 else { return }
        if let record = bySource.peek(source), record.lockedUntil <= now { bySource.removeValue(for: source) }
        knownGood.set(KnownGood(lastSuccess: now, failures: 0), for: Self.pairKey(source: source, user: user))
    }

    private func isKnownGood(source: String, user: String, now: Double) -> Bool {
        guard let entry = knownGood.peek(Self.pairKey(source: source, user: user)) else { return false }
        return now - entry.lastSuccess <= knownGoodTime
    }

    /// Counts one failure; returns the lock's end when this failure starts a lockout.
    private static func count(_ table: inout BoundedLRU<String, Record>, key: String, now: Double,
                              _ limits: AuthFailureLimiter) -> Double? {
        var record = table.value(for: key) ?? Record(windowStart: now, failures: 0, lockedUntil: 0)
        if record.lockedUntil > now { return nil }
        if now - record.windowStart > limits.window {
            record.windowStart = now
            record.failures = 0
        }
        record.failures += 1
        var started: Double?
        if record.failures >= limits.maxFailures {
            record.lockedUntil = now + limits.lockout
            record.failures = 0
            record.windowStart = record.lockedUntil
            started = record.lockedUntil
        }
        table.set(record, for: key)
        return started
    }

    private static func pairKey(source: String, user: String) -> String { user + "\u{0}" + source }
}
