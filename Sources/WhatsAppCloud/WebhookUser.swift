import Foundation
public import NetTypes

/// The WhatsApp user a webhook is about, with every identifier Meta sent
/// (docs/whatsapp.md#users-usernames-and-bsuids): the phone number (`from`,
/// `to`, `recipient_id`, `contacts[].wa_id`) when Meta shares it, the BSUID
/// (`from_user_id`, `to_user_id`, `recipient_user_id`, `contacts[].user_id`),
/// the parent BSUID (`…_parent_user_id`, `contacts[].parent_user_id`), the
/// username (`contacts[].profile.username`) and the profile name
/// (`contacts[].profile.name`). Every value is checked for its shape; one
/// that does not fit is dropped and its field named in ``rejected``.
public struct WebhookUser: Sendable, Equatable {
    /// The phone number, digits only (7–15, as E.164 allows).
    public var phone: String?
    /// The business-scoped user id.
    public var userID: BusinessScopedUserID?
    /// The parent BSUID, when the business portfolio has linked ones.
    public var parentUserID: BusinessScopedUserID?
    /// The WhatsApp username, when the user set one.
    public var username: WhatsAppUsername?
    /// The profile name, without control characters, at most ``maximumNameLength`` characters.
    public var profileName: String?
    /// Meta field names whose values were dropped for a wrong shape.
    public var rejected: [String] = []

    /// The longest profile name kept (longer ones are cut).
    public static let maximumNameLength = 100

    /// Creates a user from checked values.
    public init(phone: String? = nil, userID: BusinessScopedUserID? = nil, parentUserID: BusinessScopedUserID? = nil,
                username: WhatsAppUsername? = nil, profileName: String? = nil) {
        self.phone = phone
        self.userID = userID
        self.parentUserID = parentUserID
        self.username = username
        self.profileName = profileName
    }

    /// Whether Meta gave no identifier at all.
    public var isAnonymous: Bool { phone == nil && userID == nil && parentUserID == nil }

    /// Reads the user of one call, status or message: `item[prefix]`,
    /// `item[prefix_user_id]` and `item[prefix_parent_user_id]` (for `recipient`,
    /// `recipient_id` holds the number), completed from the value's `contacts[]`
    /// entry with the same `wa_id` or `user_id` (or the only entry there is).
    static func read(_ item: JSONValue, prefix: String, contacts: [JSONValue]) -> WebhookUser {
        var user = WebhookUser()
        let phoneField = prefix == "recipient" ? "recipient_id" : prefix
        user.setPhone(item[phoneField]?.lenientString, field: phoneField)
        user.setUserID(item["\(prefix)_user_id"]?.lenientString, field: "\(prefix)_user_id")
        user.setParent(item["\(prefix)_parent_user_id"]?.lenientString, field: "\(prefix)_parent_user_id")
        if let contact = user.matchingContact(in: contacts) { user.complete(from: contact) }
        return user
    }

    /// The contact Meta listed for this user.
    private func matchingContact(in contacts: [JSONValue]) -> JSONValue? {
        let objects = contacts.filter { if case .object = $0 { true } else { false } }
        if let match = objects.first(where: { contact in
            let waID = contact["wa_id"]?.lenientString.map(WhatsAppNumber.digits)
            let userID = contact["user_id"]?.lenientString
            return (phone != nil && waID == phone) || (userID != nil && userID == self.userID?.rawValue)
        }) {
            return match
        }
        return objects.count == 1 ? objects[0] : nil
    }

    /// Fills what the item left out from its `contacts[]` entry.
    private mutating func complete(from contact: JSONValue) {
        if phone == nil { setPhone(contact["wa_id"]?.lenientString, field: "contacts.wa_id") }
        if userID == nil { setUserID(contact["user_id"]?.lenientString, field: "contacts.user_id") }
        if parentUserID == nil {
            setParent(contact["parent_user_id"]?.lenientString, field: "contacts.parent_user_id")
        }
        // Meta puts the username in `profile`; a top-level one is read as well.
        let username = contact["profile"]?["username"]?.lenientString ?? contact["username"]?.lenientString
        if let username {
            self.username = WhatsAppUsername(username)
            if self.username == nil { rejected.append("contacts.profile.username") }
        }
        if let name = contact["profile"]?["name"]?.lenientString { profileName = Self.cleanName(name) }
    }

    private mutating func setPhone(_ text: String?, field: String) {
        guard let text, !text.isEmpty else { return }
        let body = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard (7...15).contains(body.utf8.count), body.allSatisfy(\.isASCIIDigit) else {
            rejected.append(field)
            return
        }
        phone = String(body)
    }

    private mutating func setUserID(_ text: String?, field: String) {
        guard let text, !text.isEmpty else { return }
        guard let id = BusinessScopedUserID(text), !id.isParent else {
            rejected.append(field)
            return
        }
        userID = id
    }

    private mutating func setParent(_ text: String?, field: String) {
        guard let text, !text.isEmpty else { return }
        guard let id = BusinessScopedUserID(text), id.isParent else {
            rejected.append(field)
            return
        }
        parentUserID = id
    }

    /// A profile name with white space (line breaks included) turned into spaces
    /// and other control and format characters removed, cut to
    /// ``maximumNameLength``; nil when nothing is left. The SIP layer folds and
    /// quotes it again when it becomes a display name.
    static func cleanName(_ name: String) -> String? {
        let kept = name.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            if scalar.properties.isWhitespace { return " " }
            return scalar.properties.generalCategory.isControlOrFormat ? nil : scalar
        }
        let cut = String(String.UnicodeScalarView(kept.prefix(maximumNameLength)))
            .trimmingCharacters(in: .whitespaces)
        return cut.isEmpty ? nil : cut
    }
}

extension Unicode.GeneralCategory {
    /// Control, format, surrogate, private-use and unassigned code points: never shown in a name.
    var isControlOrFormat: Bool {
        switch self {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}
