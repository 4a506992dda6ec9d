// Message templates the simulated business numbers have in the WhatsApp Manager,
// and Meta's errors for sending one that does not exist or is not approved
// (docs/whatsapp.md#settings-and-permissions; modelled from Meta's error pages).

import WhatsAppCloud

/// A message template with a call permission request button.
public struct SimulatedTemplate: Sendable, Equatable {
    /// The template's status in the WhatsApp Manager; only `approved` can be sent.
    public enum Status: String, Sendable, CaseIterable {
        /// Approved: sendable.
        case approved = "APPROVED"
        /// In review.
        case pending = "PENDING"
        /// Refused in review.
        case rejected = "REJECTED"
        /// Paused for low quality (Meta answers 132015).
        case paused = "PAUSED"
    }

    /// The template's name.
    public var name: String
    /// Its language code, e.g. `en_US`.
    public var language: String
    /// Its review status.
    public var status: Status
    /// The number that owns it (phone_number_id); nil: every simulated number.
    public var phoneNumberID: String?

    /// Creates a template.
    public init(name: String, language: String = "en_US", status: Status = .approved, phoneNumberID: String? = nil) {
        self.name = name
        self.language = language
        self.status = status
        self.phoneNumberID = phoneNumberID
    }

    /// Parses `NAME[:LANGUAGE[:STATUS[:PHONE_NUMBER_ID]]]` (the `--template` option).
    public init?(option text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty, parts.count <= 4 else { return nil }
        self.init(name: parts[0])
        if parts.count > 1, !parts[1].isEmpty { language = parts[1] }
        if parts.count > 2, !parts[2].isEmpty {
            guard let status = Status(rawValue: parts[2].uppercased()) else { return nil }
            self.status = status
        }
        if parts.count > 3, !parts[3].isEmpty { phoneNumberID = parts[3] }
    }
}

extension SimulatedGraphError {
    /// 132001: no template of that name and language (or not approved).
    static func templateMissing(_ name: String, language: String) -> Self {
        Self(code: 132001, httpStatus: 404, message: "Template name does not exist in the translation",
             details: "template name (\(name.prefix(64))) does not exist in \(language.prefix(16))")
    }

    /// 132015: the template is paused.
    static let templatePaused = Self(code: 132015, httpStatus: 400, message: "Template is Paused",
                                     details: "Template is paused due to low quality so it cannot be sent")

    /// 131047: free-form messages only inside the 24-hour customer service window.
    static let reengagement = Self(
        code: 131047, httpStatus: 400, message: "Re-engagement message",
        details: "Message failed to send because more than 24 hours have passed since the customer last replied "
            + "to this number.")
}

extension MetaSimulatorCore {
    /// The approved template `name` in `language` of `number`, or Meta's error.
    func checkTemplate(_ template: JSONValue?, number: SimulatedNumber) throws {
        let name = template?["name"]?.stringValue ?? ""
        let language = template?["language"]?["code"]?.stringValue ?? ""
        guard let found = settings.templates.first(where: {
            $0.name == name && $0.language == language && ($0.phoneNumberID ?? number.phoneNumberID) == number.phoneNumberID
        }) else { throw SimulatedGraphError.templateMissing(name, language: language) }
        switch found.status {
        case .approved: return
        case .paused: throw SimulatedGraphError.templatePaused
        case .pending, .rejected: throw SimulatedGraphError.templateMissing(name, language: language)
        }
    }
}
