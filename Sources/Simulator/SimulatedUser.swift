import NetTypes
import WhatsAppCloud

/// A simulated WhatsApp user with the identifiers Meta shares about them
/// (docs/whatsapp.md#users-usernames-and-bsuids): a user known by number
/// (optionally with a BSUID too), or a user with a username whom Meta names
/// only by BSUID. Webhooks carry exactly the fields Meta sends for each.
struct SimulatedUser: Sendable, Equatable {
    /// The phone number, digits; nil for a user Meta names only by BSUID.
    var phone: String?
    /// The business-scoped user id.
    var bsuid: String?
    /// The parent BSUID.
    var parentBSUID: String?
    /// The username.
    var username: String?
    /// The profile name.
    var name: String?

    /// The key calls and permissions are kept under: the digits, else the BSUID.
    var key: String { phone ?? bsuid ?? parentBSUID ?? "" }

    /// The user named by `text` in a control path: a BSUID (or parent BSUID)
    /// gives a user without a number, anything else a number.
    static func named(_ text: String) -> SimulatedUser {
        if let id = BusinessScopedUserID(text) {
            return id.isParent ? SimulatedUser(parentBSUID: id.rawValue) : SimulatedUser(bsuid: id.rawValue)
        }
        return SimulatedUser(phone: WhatsAppNumber.digits(text))
    }

    /// Adds what a control request says of the user (`bsuid`, `parent_bsuid`,
    /// `username`, `name`), refusing values Meta would never send.
    mutating func update(from body: JSONValue) throws {
        if let text = body["bsuid"]?.stringValue {
            guard let id = BusinessScopedUserID(text), !id.isParent else { throw SimulatorError.badRequest("bad bsuid") }
            bsuid = id.rawValue
        }
        if let text = body["parent_bsuid"]?.stringValue {
            guard let id = BusinessScopedUserID(text), id.isParent else {
                throw SimulatorError.badRequest("bad parent_bsuid")
            }
            parentBSUID = id.rawValue
        }
        if let text = body["username"]?.stringValue {
            guard let name = WhatsAppUsername(text) else { throw SimulatorError.badRequest("bad username") }
            username = name.rawValue
        }
        if let text = body["name"]?.stringValue { name = text }
    }

    /// The user's fields on side `prefix` of a call or message: `from`/`to`
    /// (only with a number), `…_user_id` and `…_parent_user_id`.
    func fields(_ prefix: String) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let phone { fields[prefix] = .string(phone) }
        if let bsuid { fields["\(prefix)_user_id"] = .string(bsuid) }
        if let parentBSUID { fields["\(prefix)_parent_user_id"] = .string(parentBSUID) }
        return fields
    }

    /// The status fields: `recipient_id` (only with a number), `recipient_user_id`
    /// and `recipient_parent_user_id`.
    var recipientFields: [String: JSONValue] {
        var fields = self.fields("recipient")
        if let phone = fields.removeValue(forKey: "recipient") { fields["recipient_id"] = phone }
        return fields
    }

    /// The `contacts[]` entry: `profile.name`, `profile.username`, `wa_id`
    /// (only with a number), `user_id` and `parent_user_id`.
    var contact: JSONValue {
        var profile: [String: JSONValue] = ["name": .string(name ?? "WhatsApp User")]
        if let username { profile["username"] = .string(username) }
        var contact: [String: JSONValue] = ["profile": .object(profile)]
        if let phone { contact["wa_id"] = .string(phone) }
        if let bsuid { contact["user_id"] = .string(bsuid) }
        if let parentBSUID { contact["parent_user_id"] = .string(parentBSUID) }
        return .object(contact)
    }
}
