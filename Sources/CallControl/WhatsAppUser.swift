// Who a WhatsApp user is, as Meta identifies them. Since Meta's usernames
// (2026), a user may come without a phone number: the business-scoped user id
// (BSUID) is then the only way back to them.

/// A WhatsApp user, with every identifier Meta gave (docs/whatsapp.md#users-and-bsuids).
public struct WhatsAppUser: Sendable, Hashable, CustomStringConvertible {
    /// The phone number, `+E164`, when Meta shares it (`from`, `wa_id`).
    public var phone: String?
    /// The business-scoped user id (`from_user_id`, `user_id`), e.g. `US.13491208655302741918`.
    public var bsuid: String?
    /// The parent BSUID shared across linked portfolios (`from_parent_user_id`), e.g. `US.ENT.…`.
    public var parentBSUID: String?
    /// The user's WhatsApp username (`username`), when set.
    public var username: String?
    /// The profile name (`contacts[].profile.name`).
    public var profileName: String?

    /// Creates a user from what Meta sent.
    public init(phone: String? = nil, bsuid: String? = nil, parentBSUID: String? = nil, username: String? = nil,
                profileName: String? = nil) {
        self.phone = phone
        self.bsuid = bsuid
        self.parentBSUID = parentBSUID
        self.username = username
        self.profileName = profileName
    }

    /// The identifier calls and permission look-ups address the user by: the
    /// phone number when known, else the BSUID (Meta: prefer the phone number).
    public var address: String { phone ?? bsuid ?? parentBSUID ?? "" }

    /// The address, for logs.
    public var description: String { address }
}
