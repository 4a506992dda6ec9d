// Call permissions cached with Meta's semantics (docs/whatsapp.md#settings-and-permissions): permanent until
// revoked, temporary until its expiry, no_permission never cached. One entry per user, found by every
// identifier Meta gave for them (docs/whatsapp.md#users-usernames-and-bsuids).

public import Foundation

/// A cache of `GET call_permissions` answers and permission replies. An entry
/// is found by any of the user's identifiers (phone number, BSUID, parent
/// BSUID, username): a permission learned for a number is found again for a
/// reply that names the same user by BSUID, and each look-up or store that
/// names more identifiers links them to the entry. Bounded: past ``capacity``
/// users the least recently stored one is evicted first.
public struct PermissionCache: Sendable {
    private var table: IdentifierTable<Entry>
    /// How long a temporary permission without an expiry is trusted.
    public var temporaryWithoutExpiry: Duration

    private struct Entry: Sendable {
        /// The permission.
        var permission: CallPermission
        /// When it stops being trusted; nil: forever.
        var validUntil: Date?
    }

    /// Creates an empty cache of at most `capacity` users.
    public init(temporaryWithoutExpiry: Duration = .seconds(300), capacity: Int = 10_000) {
        self.temporaryWithoutExpiry = temporaryWithoutExpiry
        table = IdentifierTable(capacity: capacity)
    }

    /// The most users cached.
    public var capacity: Int { table.capacity }

    /// The cached permission of `user` still valid at `now`, or nil (ask Meta).
    public mutating func lookup(_ user: WhatsAppUser, now: Date) -> CallPermission? {
        guard let entry = table.lookup(user.identifiers) else { return nil }
        if let validUntil = entry.validUntil, validUntil <= now {
            table.remove(user.identifiers)
            return nil
        }
        return entry.permission
    }

    /// Remembers Meta's answer: permanent forever, temporary until expiry, none not at all.
    public mutating func store(_ permission: CallPermission, for user: WhatsAppUser, now: Date) {
        switch permission.status {
        case .noPermission:
            invalidate(user)
        case .permanent:
            table.store(Entry(permission: permission, validUntil: nil), keys: user.identifiers)
        case .temporary:
            let fallback = now.addingTimeInterval(TimeInterval(temporaryWithoutExpiry.components.seconds))
            let until = permission.expiration ?? fallback
            if until > now {
                table.store(Entry(permission: permission, validUntil: until), keys: user.identifiers)
            } else {
                invalidate(user)
            }
        }
    }

    /// Applies a `call_permission_reply`: accept stores, reject forgets.
    public mutating func applyReply(user: WhatsAppUser, accepted: Bool, permanent: Bool, expiration: Date?, now: Date) {
        guard accepted else {
            invalidate(user)
            return
        }
        store(CallPermission(status: permanent ? .permanent : .temporary, expiration: expiration), for: user, now: now)
    }

    /// Forgets `user` by every identifier (a connect failed with 138006: Meta revoked it).
    public mutating func invalidate(_ user: WhatsAppUser) {
        table.remove(user.identifiers)
    }

    /// The number of cached users.
    public var count: Int { table.count }
}
