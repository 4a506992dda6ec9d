// Call permissions cached with Meta's semantics (docs/whatsapp.md#settings-and-permissions): permanent until
// revoked, temporary until its expiry, no_permission never cached. One entry per user, found by every
// identifier Meta gave for them (docs/whatsapp.md#users-usernames-and-bsuids).

public import Foundation

/// A cache of `GET call_permissions` answers and permission replies. An entry
/// is found by any of the user's identifiers (phone number, BSUID, parent
/// BSUID, username): a permission learned for a number is found again for a
/// reply that names the same user by BSUID, and each look-up or store that
/// names more identifiers links them to the entry. Bounded: past ``capacity``
/// entries the least recently stored one is evicted first.
public struct PermissionCache: Sendable {
    private var entries: [Int: Entry] = [:]
    private var index: [String: Int] = [:]
    private var nextID = 0
    /// How long a temporary permission without an expiry is trusted.
    public var temporaryWithoutExpiry: Duration
    /// The most users cached.
    public let capacity: Int

    private struct Entry: Sendable {
        /// The permission.
        var permission: CallPermission
        /// When it stops being trusted; nil: forever.
        var validUntil: Date?
        /// Every identifier that leads here.
        var keys: Set<String>
    }

    /// Creates an empty cache.
    public init(temporaryWithoutExpiry: Duration = .seconds(300), capacity: Int = 10_000) {
        self.temporaryWithoutExpiry = temporaryWithoutExpiry
        self.capacity = max(capacity, 1)
    }

    /// The cached permission of `user` still valid at `now`, or nil (ask Meta).
    public mutating func lookup(_ user: WhatsAppUser, now: Date) -> CallPermission? {
        guard let id = entryID(of: user), var entry = entries[id] else { return nil }
        if let validUntil = entry.validUntil, validUntil <= now {
            remove(id)
            return nil
        }
        link(user, to: id, entry: &entry)
        return entry.permission
    }

    /// Remembers Meta's answer: permanent forever, temporary until expiry, none not at all.
    public mutating func store(_ permission: CallPermission, for user: WhatsAppUser, now: Date) {
        switch permission.status {
        case .noPermission:
            invalidate(user)
        case .permanent:
            put(Entry(permission: permission, validUntil: nil, keys: []), for: user)
        case .temporary:
            let fallback = now.addingTimeInterval(TimeInterval(temporaryWithoutExpiry.components.seconds))
            let until = permission.expiration ?? fallback
            if until > now {
                put(Entry(permission: permission, validUntil: until, keys: []), for: user)
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
        for id in Set(user.identifiers.compactMap { index[$0] }) { remove(id) }
    }

    /// The number of cached users.
    public var count: Int { entries.count }

    /// The entry any of `user`'s identifiers leads to.
    private func entryID(of user: WhatsAppUser) -> Int? {
        user.identifiers.lazy.compactMap { index[$0] }.first
    }

    /// Replaces what is known of `user` by `entry`, keeping the identifiers the
    /// entries it replaces were found by (the same person, named another way).
    private mutating func put(_ entry: Entry, for user: WhatsAppUser) {
        var entry = entry
        for id in Set(user.identifiers.compactMap { index[$0] }) {
            entry.keys.formUnion(entries[id]?.keys ?? [])
            remove(id)
        }
        entry.keys.formUnion(user.identifiers)
        guard !entry.keys.isEmpty else { return }
        if entries.count >= capacity, let oldest = entries.keys.min() { remove(oldest) }
        let id = nextID
        nextID += 1
        entries[id] = entry
        for key in entry.keys { index[key] = id }
    }

    /// Adds `user`'s identifiers not yet known to entry `id`.
    private mutating func link(_ user: WhatsAppUser, to id: Int, entry: inout Entry) {
        let new = user.identifiers.filter { index[$0] == nil }
        guard !new.isEmpty else { return }
        entry.keys.formUnion(new)
        entries[id] = entry
        for key in new { index[key] = id }
    }

    private mutating func remove(_ id: Int) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        for key in entry.keys where index[key] == id { index[key] = nil }
    }
}
