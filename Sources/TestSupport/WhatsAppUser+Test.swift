// Test support: WhatsApp users as the webhook mapping builds them.

public import CallControl

extension WhatsAppUser {
    /// A user known by phone number (`+` added when missing), as a connect webhook with `from` gives.
    public static func phone(_ number: String, name: String? = nil) -> WhatsAppUser {
        WhatsAppUser(phone: number.hasPrefix("+") ? number : "+" + number, profileName: name)
    }
}
