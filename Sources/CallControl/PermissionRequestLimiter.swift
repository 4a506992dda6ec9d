// Meta's limits on call permission requests per business number and user: 1 per
// 24 hours and 2 per 7 days, reset when a business-initiated call to the user
// connects (docs/whatsapp.md#settings-and-permissions). Sending over them earns
// 138009; wagate keeps its own count so it never sends one Meta would refuse.

public import Foundation

/// Requests sent to each user through one business number, found by any of the
/// user's identifiers. Bounded: past ``capacity`` users the least recently
/// stored one is forgotten (at worst one request too many, which Meta answers
/// with 138009, which is then remembered).
public struct PermissionRequestLimiter: Sendable {
    /// One user's history.
    struct History: Sendable {
        /// When requests went out, newest last (at most ``perWeek``).
        var sent: [Date] = []
        /// Meta answered 138009 (or a rate limit): no request before this.
        var blockedUntil: Date?
    }

    private var table: IdentifierTable<History>
    /// Requests allowed per 24 hours.
    public static let perDay = 1
    /// Requests allowed per 7 days.
    public static let perWeek = 2
    private static let day: TimeInterval = 24 * 3600
    private static let week: TimeInterval = 7 * day

    /// Creates an empty limiter of at most `capacity` users.
    public init(capacity: Int = 10_000) {
        table = IdentifierTable(capacity: capacity)
    }

    /// Whether a request to `user` may go out at `now`.
    public mutating func allows(_ user: WhatsAppUser, now: Date) -> Bool {
        guard let history = table.lookup(user.identifiers) else { return true }
        if let until = history.blockedUntil, until > now { return false }
        let lastDay = history.sent.filter { now.timeIntervalSince($0) < Self.day }.count
        let lastWeek = history.sent.filter { now.timeIntervalSince($0) < Self.week }.count
        return lastDay < Self.perDay && lastWeek < Self.perWeek
    }

    /// A request to `user` goes out at `now`.
    public mutating func recordSent(_ user: WhatsAppUser, now: Date) {
        var history = table.lookup(user.identifiers) ?? History()
        history.sent.removeAll { now.timeIntervalSince($0) >= Self.week }
        history.sent.append(now)
        if history.sent.count > Self.perWeek { history.sent.removeFirst(history.sent.count - Self.perWeek) }
        table.store(history, keys: user.identifiers)
    }

    /// The request sent at `at` never reached the user (Meta refused it for a
    /// reason that is not a limit): it does not count.
    public mutating func refund(_ user: WhatsAppUser, sentAt at: Date) {
        guard var history = table.lookup(user.identifiers), let index = history.sent.lastIndex(of: at) else { return }
        history.sent.remove(at: index)
        table.store(history, keys: user.identifiers)
    }

    /// Meta answered 138009 (its own count is ahead of ours) or rate-limited
    /// the request: no request to `user` before `until`.
    public mutating func block(_ user: WhatsAppUser, until: Date) {
        var history = table.lookup(user.identifiers) ?? History()
        history.blockedUntil = max(history.blockedUntil ?? until, until)
        table.store(history, keys: user.identifiers)
    }

    /// A business-initiated call to `user` connected: Meta resets the limits.
    public mutating func reset(_ user: WhatsAppUser) {
        table.remove(user.identifiers)
    }

    /// The number of users remembered.
    public var count: Int { table.count }
}
