// What call control has learnt about WhatsApp users from webhooks, so that a
// call a phone places to one identifier (the BSUID it displayed) is recorded
// with every identifier Meta gave for that user.

/// The WhatsApp users seen in user-initiated calls and permission replies, each
/// found by any of their identifiers. Bounded like the permission cache.
public struct WhatsAppUserDirectory: Sendable {
    private var table: IdentifierTable<WhatsAppUser>

    /// Creates an empty directory of at most `capacity` users.
    public init(capacity: Int = 10_000) { table = IdentifierTable(capacity: capacity) }

    /// Remembers `user`; what an earlier webhook said of the same user and this
    /// one leaves out is kept (a reply without the profile name keeps it).
    public mutating func learn(_ user: WhatsAppUser) {
        table.store(user, keys: user.identifiers) { new, old in new.completed(from: old) }
    }

    /// `user` with what is known of them filled in (the identifiers it has win).
    public mutating func complete(_ user: WhatsAppUser) -> WhatsAppUser {
        table.lookup(user.identifiers).map { user.completed(from: $0) } ?? user
    }

    /// The number of users known.
    public var count: Int { table.count }
}

extension WhatsAppUser {
    /// This user, with the identifiers and names it lacks taken from `other`.
    func completed(from other: WhatsAppUser) -> WhatsAppUser {
        WhatsAppUser(phone: phone ?? other.phone, bsuid: bsuid ?? other.bsuid,
                     parentBSUID: parentBSUID ?? other.parentBSUID, username: username ?? other.username,
                     profileName: profileName ?? other.profileName)
    }
}
