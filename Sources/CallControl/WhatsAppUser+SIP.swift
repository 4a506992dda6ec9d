// How a WhatsApp user appears to SIP phones and trunks, and how a phone dials
// one back. A user Meta names only by BSUID is shown by the BSUID itself: it is
// made of RFC 3261 unreserved characters (letters, digits, a dot), so it goes
// into a URI user part unescaped, a phone can dial exactly what it displays,
// and it can never be taken for a number of the dial plan (numbers have no
// letters; a BSUID always starts with two).

import NetTypes

extension WhatsAppUser {
    /// The user part of From and P-Asserted-Identity toward phones and trunks:
    /// the `+E164` number when Meta gave one, else the BSUID (or parent BSUID).
    public var sipUser: String { address }

    /// The display name: the profile name of a user known by number (as before
    /// usernames); for a user known only by BSUID the username, else the
    /// profile name, so the phone shows a name a person recognises.
    public var sipDisplayName: String? {
        phone == nil ? (username ?? profileName) : profileName
    }

    /// `X-WA-BSUID`, `X-WA-Parent-BSUID` and `X-WA-Username`, for each identifier
    /// Meta gave, so a PBX or CRM can key the caller by it (values are checked
    /// for their shape when webhooks are decoded; the SIP layer checks them again).
    public var sipHeaders: [SIPHeaderField] {
        var fields: [SIPHeaderField] = []
        if let bsuid { fields.append(SIPHeaderField(name: "X-WA-BSUID", value: bsuid)) }
        if let parentBSUID { fields.append(SIPHeaderField(name: "X-WA-Parent-BSUID", value: parentBSUID)) }
        if let username { fields.append(SIPHeaderField(name: "X-WA-Username", value: username)) }
        return fields
    }

    /// Every key the user is known by in the permission cache: the phone
    /// number, the BSUID, the parent BSUID and `@username` (lower-cased: Meta
    /// compares usernames ignoring case).
    public var identifiers: [String] {
        [phone, bsuid, parentBSUID, username.map { "@" + $0.lowercased() }].compactMap { $0 }
    }

    /// The user a dialled BSUID or parent BSUID names (a phone calling back what
    /// it displayed), or nil when `dialled` is not one. A lower-case country code
    /// is taken as the upper-case one.
    public init?(dialledBSUID dialled: String) {
        guard let id = BusinessScopedUserID(dialled, lenientCountry: true) else { return nil }
        self = id.isParent ? WhatsAppUser(parentBSUID: id.rawValue) : WhatsAppUser(bsuid: id.rawValue)
    }
}
