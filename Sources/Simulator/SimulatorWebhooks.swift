import Foundation
import WhatsAppCloud

/// Builds webhook bodies exactly in Meta's shape (docs/whatsapp.md#webhooks).
struct SimulatorWebhooks: Sendable {
    /// Ids and numbers written into every payload.
    var settings: MetaSimulatorSettings

    /// A user-initiated connect with the user's offer.
    func userConnect(callID: String, user: SimulatedUser, offer: String, at now: Date, ctaPayload: String?,
                     number: SimulatedNumber) -> JSONValue {
        var call: [String: JSONValue] = [
            "id": .string(callID), "to": .string(number.displayPhoneNumber),
            "event": "connect", "timestamp": timestamp(now), "direction": "USER_INITIATED",
            "session": ["sdp_type": "offer", "sdp": .string(offer)],
        ]
        call.merge(user.fields("from")) { _, new in new }
        if let ctaPayload { call["cta_payload"] = .string(ctaPayload) }
        return envelope(field: "calls", value: ["calls": [.object(call)]], contacts: [user], number: number)
    }

    /// A business-initiated connect carrying Meta's SDP answer (no contacts, as observed).
    func businessConnect(callID: String, user: SimulatedUser, answer: String, at now: Date,
                         opaque: String?, number: SimulatedNumber) -> JSONValue {
        var call: [String: JSONValue] = [
            "id": .string(callID), "from": .string(number.displayPhoneNumber),
            "event": "connect", "timestamp": timestamp(now), "direction": "BUSINESS_INITIATED",
            "session": ["sdp_type": "answer", "sdp": .string(answer)],
        ]
        call.merge(user.fields("to")) { _, new in new }
        if let opaque { call["biz_opaque_callback_data"] = .string(opaque) }
        return envelope(field: "calls", value: ["calls": [.object(call)]], contacts: [], number: number)
    }

    /// A terminate; `duration` and `start_time` only when the call was answered.
    func terminate(_ call: SimulatedCall, user: SimulatedUser, status: String, at now: Date,
                   errors: [WebhookError]) -> JSONValue {
        let number = number(of: call)
        let business = number.displayPhoneNumber
        let incoming = call.direction == .userInitiated
        var item: [String: JSONValue] = [
            "id": .string(call.id), (incoming ? "to" : "from"): .string(business),
            "event": "terminate", "timestamp": timestamp(now),
            "direction": .string(call.direction.rawValue), "status": .string(status), "end_time": timestamp(now),
        ]
        item.merge(user.fields(incoming ? "from" : "to")) { _, new in new }
        if let answeredAt = call.answeredAt {
            item["start_time"] = timestamp(answeredAt)
            item["duration"] = .number(Double(max(0, Int(now.timeIntervalSince(answeredAt)))))
        }
        if let opaque = call.bizOpaqueCallbackData { item["biz_opaque_callback_data"] = .string(opaque) }
        var value: [String: JSONValue] = [:]
        if !errors.isEmpty {
            let objects = JSONValue.array(errors.map(errorObject))
            item["errors"] = objects
            value["errors"] = objects
        }
        value["calls"] = [.object(item)]
        return envelope(field: "calls", value: value, contacts: incoming ? [user] : [], number: number)
    }

    /// A `statuses[]` item for a business-initiated call.
    func status(callID: String, user: SimulatedUser, status: CallProgress, at now: Date, opaque: String?,
                number: SimulatedNumber) -> JSONValue {
        var item: [String: JSONValue] = [
            "id": .string(callID), "timestamp": timestamp(now), "type": "call", "status": .string(status.rawValue),
        ]
        item.merge(user.recipientFields) { _, new in new }
        if let opaque { item["biz_opaque_callback_data"] = .string(opaque) }
        return envelope(field: "calls", value: ["statuses": [.object(item)]], contacts: [], number: number)
    }

    /// A `call_permission_reply` message on the `messages` field.
    func permissionReply(user: SimulatedUser, accepted: Bool, permanent: Bool, expiration: Date?, at now: Date,
                         automatic: Bool, contextID: String?, number: SimulatedNumber) -> JSONValue {
        var reply: [String: JSONValue] = [
            "response": accepted ? "accept" : "reject", "is_permanent": .bool(permanent),
            "response_source": automatic ? "automatic" : "user_action",
        ]
        if let expiration { reply["expiration_timestamp"] = .number(expiration.timeIntervalSince1970.rounded()) }
        var message: [String: JSONValue] = [
            "id": .string("wamid.\(MetaIDs.random())"), "timestamp": timestamp(now),
            "type": "interactive",
            "interactive": ["type": "call_permission_reply", "call_permission_reply": .object(reply)],
        ]
        message.merge(user.fields("from")) { _, new in new }
        if let contextID {
            message["context"] = ["from": .string(number.displayPhoneNumber), "id": .string(contextID)]
        }
        return envelope(field: "messages", value: ["messages": [.object(message)]], contacts: [user], number: number)
    }

    /// The number a call is to or from (the primary one for calls without one).
    func number(of call: SimulatedCall) -> SimulatedNumber {
        settings.number(withID: call.number) ?? settings.numbers[0]
    }

    private func envelope(field: String, value: [String: JSONValue], contacts: [SimulatedUser],
                          number: SimulatedNumber) -> JSONValue {
        var value = value
        value["messaging_product"] = "whatsapp"
        value["metadata"] = [
            "display_phone_number": .string(number.displayPhoneNumber),
            "phone_number_id": .string(number.phoneNumberID),
        ]
        if !contacts.isEmpty {
            value["contacts"] = .array(contacts.map(\.contact))
        }
        return [
            "object": "whatsapp_business_account",
            "entry": [["id": .string(number.wabaID), "changes": [["field": .string(field), "value": .object(value)]]]],
        ]
    }

    private func errorObject(_ error: WebhookError) -> JSONValue {
        var object: [String: JSONValue] = ["code": .number(Double(error.code ?? 0)), "title": .string(error.title ?? "")]
        if let message = error.message { object["message"] = .string(message) }
        if let details = error.details { object["error_data"] = ["details": .string(details)] }
        return .object(object)
    }

    private func timestamp(_ date: Date) -> JSONValue { .string(String(Int(date.timeIntervalSince1970))) }
}

/// Meta-looking identifiers.
enum MetaIDs {
    /// A random base64-ish id body.
    static func random() -> String {
        Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
    }

    /// A new wacid.
    static func callID() -> String { "wacid.\(random())" }
}
