import CallControl
import NetTypes
import WhatsAppCloud

/// The two directions between call control's ``WhatsAppUser`` and what the
/// Graph API reads and writes (docs/whatsapp.md#users-usernames-and-bsuids).
extension WhatsAppUser {
    /// The user as a webhook named them; every value was checked for its shape
    /// by the decoder. The number gets its `+`.
    init(webhook user: WebhookUser) {
        self.init(phone: user.phone.map { "+" + $0 }, bsuid: user.userID?.rawValue,
                  parentBSUID: user.parentUserID?.rawValue, username: user.username?.rawValue,
                  profileName: user.profileName)
    }

    /// How a Graph request names the user: `to` with the number, else
    /// `recipient` with the BSUID (else the parent BSUID).
    /// Throws when the user has neither (Meta named them by nothing usable).
    func graphRecipient() throws(WhatsAppFailure) -> WhatsAppRecipient {
        let id = (bsuid ?? parentBSUID).flatMap { BusinessScopedUserID($0) }
        guard let recipient = WhatsAppRecipient(phone: phone, userID: id) else {
            throw .unexpectedResponse("the WhatsApp user has no phone number and no BSUID")
        }
        return recipient
    }
}
