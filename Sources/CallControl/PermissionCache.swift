// Call permissions cached with Meta's semantics (docs/whatsapp.md#settings-and-permissions): permanent until
// revoked, temporary until its expiry, no_permission never cached.

public import Foundation

/// A cache of `GET call_permissions` answers and permission replies, by user address.
public struct PermissionCache: Sendable {
    private var entries: [String: Entry] = [:]
    /// How long a temporary permission without an expiry is trusted.
    public var temporaryWithoutExpiry: Duration

    private struct Entry: Sendable {
        /// The permission.
        var permission: CallPermission
        /// When it stops being trusted; nil: forever.
        var validUntil: Date?
    }

    /// Creates an empty cache.
    public init(temporaryWithoutExpiry: Duration = .seconds(300)) {
        self.temporaryWithoutExpiry = temporaryWithoutExpiry
    }

    /// The cached permission of `user` still valid at `now`, or nil (ask Meta).
    public mutating func lookup(_ user: WhatsAppUser, now: Date) -> CallPermission? {
        let key = user.address
        guard let entry = entries[key] else { return nil }
        if let validUntil = entry.validUntil, validUntil <= now {
            entries[key] = nil
            return nil
        }
        return entry.permission
    }

    /// Remembers Meta's answer: permanent forever, temporary until expiry, none not at all.
    public mutating func store(_ permission: CallPermission, for user: WhatsAppUser, now: Date) {
        let user = user.address
        switch permission.status {
        case .noPermission:
            entries[user] = nil
        case .permanent:
            entries[user] = Entry(permission: permission, validUntil: nil)
        case .temporary:
            let fallback = now.addingTimeInterval(TimeInterval(temporaryWithoutExpiry.components.seconds))
            let until = permission.expiration ?? fallback
            entries[user] = until > now ? Entry(permission: permission, validUntil: until) : nil
        }
    }

    /// Applies a `call_permission_reply`: accept stores, reject forgets.
    public mutating func applyReply(user: WhatsAppUser, accepted: Bool, permanent: Bool, expiration: Date?, now: Date) {
        guard accepted else {
            entries[user.address] = nil
            return
        }
        store(CallPermission(status: permanent ? .permanent : .temporary, expiration: expiration), for: user, now: now)
    }

    /// Forgets `user` (a connect failed with 138006: Meta revoked it).
    public mutating func invalidate(_ user: WhatsAppUser) {
        entries[user.address] = nil
    }

    /// The number of cached users.
    public var count: Int { entries.count }
}
