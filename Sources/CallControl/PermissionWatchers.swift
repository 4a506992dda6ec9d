public import Foundation

/// A permission reply a web agent asked to hear about.
public struct PermissionNotice: Sendable, Equatable {
    /// The WhatsApp user's address (number or BSUID) as the agent dialled it, normalised.
    public var user: String
    /// True when the user granted calls, false when they declined.
    public var granted: Bool
    /// When a temporary permission ends, if Meta said.
    public var expiresAt: Date?

    /// Creates a notice.
    public init(user: String, granted: Bool, expiresAt: Date?) {
        self.user = user
        self.granted = granted
        self.expiresAt = expiresAt
    }
}

/// Where call control tells web agents about permission replies they wait for.
public protocol AgentNotifications: AnyObject, Sendable {
    /// `notice` concerns a request the gateway users `users` sent from their pages.
    func permissionChanged(_ notice: PermissionNotice, users: [String]) async
}

/// Which agents wait for which user's permission reply, per business number.
/// Bounded (a page can ask about many numbers): the oldest watch goes first, and
/// a watch lapses after `lifetime` (a user may answer a day later, or never).
struct PermissionWatchers {
    /// Watches kept at most.
    static let capacity = 1024
    /// How long a watch lasts.
    static let lifetime: TimeInterval = 24 * 3600

    private struct Key: Hashable {
        var number: WhatsAppNumberID
        var user: String
    }

    private var watches: [Key: (agents: Set<String>, since: Date)] = [:]

    /// Agent `agent` waits for `user`'s reply on `number`.
    mutating func watch(_ user: String, number: WhatsAppNumberID, agent: String, now: Date) {
        let key = Key(number: number, user: user)
        if watches[key] == nil, watches.count >= Self.capacity,
           let oldest = watches.min(by: { $0.value.since < $1.value.since })?.key {
            watches[oldest] = nil
        }
        watches[key, default: ([], now)].agents.insert(agent)
        watches[key]?.since = now
    }

    /// The agents that waited for `user`'s reply on `number` (the watch ends).
    mutating func take(_ user: String, number: WhatsAppNumberID, now: Date) -> [String] {
        guard let watch = watches.removeValue(forKey: Key(number: number, user: user)),
              now.timeIntervalSince(watch.since) <= Self.lifetime else { return [] }
        return watch.agents.sorted()
    }
}
