// The simulated Messages API for call permission requests, and the 24-hour
// customer service window: a user's message or call to a number opens it; the
// interactive request is refused outside it with 131047, a template never is.

import Foundation
import WhatsAppCloud

extension MetaSimulatorCore {
    /// How long a customer service window stays open.
    static let serviceWindowLength: TimeInterval = 24 * 3600
    /// The most windows (and sent messages) remembered.
    static let messageMemory = 10_000

    /// `POST /{PHONE_NUMBER_ID}/messages`: an interactive call permission request
    /// (inside the window) or an approved template; both count against the
    /// user's request limits (138009).
    func sendMessage(_ body: JSONValue, number: SimulatedNumber) throws -> (Int, JSONValue) {
        guard body["messaging_product"]?.stringValue == "whatsapp" else {
            throw SimulatedGraphError.invalidParameter("messaging_product must be whatsapp")
        }
        let user = try graphUserKey(to: body["to"]?.lenientString, recipient: body["recipient"]?.lenientString)
        let type = body["type"]?.stringValue
        let at = now()
        switch type {
        case "interactive":
            guard body["interactive"]?["type"]?.stringValue == "call_permission_request" else {
                throw SimulatedGraphError.invalidParameter("unsupported interactive type")
            }
            guard windowIsOpen(user: user, number: number, at: at) else { throw SimulatedGraphError.reengagement }
        case "template":
            try checkTemplate(body["template"], number: number)
        default:
            throw SimulatedGraphError.invalidParameter("unsupported message type")
        }
        let messageID = "wamid.\(MetaIDs.random())"
        guard permissions[user, default: defaultPermission()].recordRequest(at: at) else {
            throw SimulatedGraphError.requestLimit
        }
        if settings.autoAcceptPermissionRequests {
            _ = grantPermission(user: user, accepted: true, permanent: false, automatic: false, contextID: messageID,
                                number: number)
        }
        if sentMessages.count >= Self.messageMemory { sentMessages.removeFirst() }
        sentMessages.append(sentRecord(body, user: user, number: number, messageID: messageID, at: at))
        return (200, try Self.encode(MessageSendResponse(to: user, messageID: messageID)))
    }

    /// What `/control/messages` lists for one sent message.
    private func sentRecord(_ body: JSONValue, user: String, number: SimulatedNumber, messageID: String,
                            at: Date) -> JSONValue {
        var record: [String: JSONValue] = [
            "id": .string(messageID), "to": .string(user), "phone_number_id": .string(number.phoneNumberID),
            "timestamp": .number(at.timeIntervalSince1970.rounded()), "body": body,
        ]
        if body["type"]?.stringValue == "template" {
            record["kind"] = "template"
            record["template"] = body["template"]?["name"] ?? .null
            record["language"] = body["template"]?["language"]?["code"] ?? .null
            record["components"] = body["template"]?["components"] ?? .array([])
        } else {
            record["kind"] = "interactive"
            record["text"] = body["interactive"]?["body"]?["text"] ?? .null
        }
        return .object(record)
    }

    /// The user messaged (or called) the number at `at`: the window opens.
    func openWindow(user: String, number: SimulatedNumber, at: Date) {
        let key = "\(number.phoneNumberID)|\(user)"
        if serviceWindows[key] == nil, serviceWindows.count >= Self.messageMemory,
           let oldest = serviceWindows.min(by: { $0.value < $1.value })?.key {
            serviceWindows[oldest] = nil
        }
        serviceWindows[key] = at
    }

    /// Whether the user's window with the number is open at `at`.
    func windowIsOpen(user: String, number: SimulatedNumber, at: Date) -> Bool {
        guard let opened = serviceWindows["\(number.phoneNumberID)|\(user)"] else { return false }
        return at.timeIntervalSince(opened) < Self.serviceWindowLength
    }

    /// The user sends the business a text: the window opens and Meta's `messages`
    /// webhook goes out. `businessNumber` picks the number (nil: the first).
    func userMessages(_ text: String, identity: JSONValue, body: String, businessNumber: String?) throws -> JSONValue {
        let number = try simulatedNumber(businessNumber)
        let profile = try registerUser(text, body: identity)
        let at = now()
        openWindow(user: profile.key, number: number, at: at)
        let messageID = "wamid.\(MetaIDs.random())"
        dispatcher.send(webhooks.userText(user: profile, text: body, messageID: messageID, at: at, number: number))
        logger.info("simulated user messages", metadata: ["wa_id": "\(profile.key)"])
        return ["id": .string(messageID), "from": .string(profile.key), "phone_number_id": .string(number.phoneNumberID),
                "window_open_until": .number(at.addingTimeInterval(Self.serviceWindowLength).timeIntervalSince1970.rounded())]
    }
}

extension SimulatorWebhooks {
    /// A text message from the user on the `messages` field, as Meta shapes it.
    func userText(user: SimulatedUser, text: String, messageID: String, at now: Date,
                  number: SimulatedNumber) -> JSONValue {
        var message: [String: JSONValue] = [
            "id": .string(messageID), "timestamp": .string(String(Int(now.timeIntervalSince1970))),
            "type": "text", "text": ["body": .string(text)],
        ]
        message.merge(user.fields("from")) { _, new in new }
        return messagesEnvelope(["messages": [.object(message)]], contacts: [user], number: number)
    }
}
