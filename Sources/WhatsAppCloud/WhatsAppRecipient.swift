public import NetTypes

/// How a Graph request names the WhatsApp user it is for
/// (docs/whatsapp.md#users-usernames-and-bsuids): by phone number in `to`
/// (`user_wa_id` for `call_permissions`), as always; by BSUID or parent BSUID
/// in `recipient` when Meta gave no number. Meta documents `recipient` beside
/// `to` for the Messages API, with `to` winning when both are present; its
/// calling pages say no more, so calls and permission look-ups follow the same
/// rule: a request carries the number when it is known and the BSUID only
/// when it is not.
public struct WhatsAppRecipient: Sendable, Hashable, CustomStringConvertible {
    /// The phone number, digits only.
    public let phone: String?
    /// The BSUID (or parent BSUID), used only without a number.
    public let userID: BusinessScopedUserID?

    /// A user known by phone number (`+` and separators are dropped).
    public init(phone: String) {
        self.init(digits: WhatsAppNumber.digits(phone), userID: nil)
    }

    private init(digits: String?, userID: BusinessScopedUserID?) {
        phone = digits
        self.userID = userID
    }

    /// A user known by phone number, BSUID or both; nil with neither.
    public init?(phone: String?, userID: BusinessScopedUserID?) {
        let digits = phone.map(WhatsAppNumber.digits).flatMap { $0.isEmpty ? nil : $0 }
        guard digits != nil || userID != nil else { return nil }
        self.phone = digits
        self.userID = digits == nil ? userID : nil
    }

    /// A BSUID when `text` has a BSUID's shape, else a phone number.
    public init(_ text: String) {
        if let id = BusinessScopedUserID(text) {
            self.init(digits: nil, userID: id)
        } else {
            self.init(phone: text)
        }
    }

    /// The value for `to` (and `user_wa_id`): the number, when known.
    public var to: String? { phone }

    /// The value for `recipient`: the BSUID, when there is no number.
    public var recipient: String? { phone == nil ? userID?.rawValue : nil }

    /// The query parameter of `GET call_permissions`: `user_wa_id` or `recipient`.
    public var permissionQuery: (name: String, value: String) {
        if let phone { return ("user_wa_id", phone) }
        return ("recipient", userID?.rawValue ?? "")
    }

    /// The number or the BSUID, for logs.
    public var description: String { phone ?? userID?.rawValue ?? "" }
}
