import Foundation
import NetTypes
import WhatsAppCloud

/// The simulated users' identities, and how a Graph request or a control path
/// names one (docs/whatsapp.md#users-usernames-and-bsuids).
extension MetaSimulatorCore {
    /// The most users remembered; the sandbox plays a handful.
    static let userLimit = 10_000

    /// The user a control path names (a number or a BSUID), completed with what
    /// `body` says (`bsuid`, `parent_bsuid`, `username`, `name`), and remembered.
    func registerUser(_ text: String, body: JSONValue) throws -> SimulatedUser {
        var user = self.user(userKey(text))
        try user.update(from: body)
        guard !user.key.isEmpty else { throw SimulatorError.badRequest("user number or BSUID is required") }
        if users[user.key] == nil, users.count >= Self.userLimit, let any = users.keys.first { users[any] = nil }
        users[user.key] = user
        return user
    }

    /// What is known of the user kept under `key`.
    func user(_ key: String) -> SimulatedUser { users[key] ?? .named(key) }

    /// The key of the user a control path names: a BSUID a known user has is
    /// that user (by number when they have one); else the BSUID or the digits.
    func userKey(_ text: String) -> String {
        guard let id = BusinessScopedUserID(text) else { return WhatsAppNumber.digits(text) }
        return users.values.first { $0.bsuid == id.rawValue || $0.parentBSUID == id.rawValue }?.key ?? id.rawValue
    }

    /// The user a Graph request names: `to` (a number) when present, as Meta's
    /// Messages API has it, else `recipient`, which must be a BSUID or parent BSUID.
    func graphUserKey(to: String?, recipient: String?, field: String = "to") throws -> String {
        if let to = to.map(WhatsAppNumber.digits), !to.isEmpty { return to }
        guard let recipient else {
            throw SimulatedGraphError.invalidParameter("\(field) or recipient is required")
        }
        guard BusinessScopedUserID(recipient) != nil else {
            throw SimulatedGraphError.invalidParameter("recipient '\(recipient.prefix(64))' is not a valid BSUID")
        }
        return userKey(recipient)
    }
}
