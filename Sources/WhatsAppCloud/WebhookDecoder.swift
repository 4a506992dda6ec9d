public import Foundation

/// Turns a verified webhook body into typed events (docs/whatsapp.md#webhooks).
///
/// Lenient and complete: batched entries and changes; every field optional;
/// unknown fields, fields and event kinds are ignored, never rejected. Only a
/// body that is not a JSON object is an error.
public enum WebhookDecoder {
    /// Decodes all events of a delivery, in the order they appear.
    ///
    /// - Throws: ``WhatsAppCloudError/malformedWebhook(_:)`` when the body is not a JSON object.
    public static func decode(_ body: some DataProtocol) throws -> [WebhookEvent] {
        let root: JSONValue
        do {
            root = try JSONValue.parse(Data(body))
        } catch {
            throw WhatsAppCloudError.malformedWebhook("not JSON")
        }
        guard case .object = root else { throw WhatsAppCloudError.malformedWebhook("not a JSON object") }
        var events: [WebhookEvent] = []
        for entry in root["entry"]?.elements ?? [] {
            let wabaID = entry["id"]?.lenientString
            for change in entry["changes"]?.elements ?? [] {
                guard let value = change["value"] else { continue }
                let metadata = WebhookMetadata(
                    wabaID: wabaID, phoneNumberID: value["metadata"]?["phone_number_id"]?.lenientString,
                    displayPhoneNumber: value["metadata"]?["display_phone_number"]?.lenientString)
                switch change["field"]?.lenientString?.lowercased() {
                case "calls": events += decodeCallsChange(value, metadata: metadata)
                case "messages": events += decodeMessagesChange(value, metadata: metadata)
                case let field? where AccountEvent.fields.contains(field):
                    if let event = decodeAccountChange(field: field, value: value, entry: entry, metadata: metadata) {
                        events.append(.account(event))
                    }
                default: continue
                }
            }
        }
        return events
    }

    /// `field: "calls"`: `calls[]`, `statuses[]` and value-level `errors[]`.
    static func decodeCallsChange(_ value: JSONValue, metadata: WebhookMetadata) -> [WebhookEvent] {
        let valueErrors = (value["errors"]?.elements ?? []).compactMap(decodeError)
        let contacts = value["contacts"]?.elements ?? []
        var events: [WebhookEvent] = []
        for call in value["calls"]?.elements ?? [] {
            guard let id = call["id"]?.lenientString, !id.isEmpty else { continue }
            switch call["event"]?.lenientString?.lowercased() {
            case "connect":
                events.append(.callConnect(decodeConnect(call, id: id, contacts: contacts, metadata: metadata)))
            case "terminate":
                events.append(.callTerminate(decodeTerminate(call, id: id, valueErrors: valueErrors,
                                                             contacts: contacts, metadata: metadata)))
            case "call_recording_available":
                events.append(.callArtifact(CallArtifactEvent.decode(call, id: id, kind: .recording, metadata: metadata)))
            case "call_transcription_available":
                events.append(.callArtifact(CallArtifactEvent.decode(call, id: id, kind: .transcription,
                                                                     metadata: metadata)))
            default: continue
            }
        }
        for status in value["statuses"]?.elements ?? [] {
            if let event = decodeStatus(status, metadata: metadata) { events.append(.callStatus(event)) }
        }
        let hadCalls = !(value["calls"]?.elements ?? []).isEmpty || !(value["statuses"]?.elements ?? []).isEmpty
        if !hadCalls && !valueErrors.isEmpty { events.append(.errors(valueErrors, metadata)) }
        return events
    }

    /// A `connect` item; the SDP from `session`, else from `connection.webrtc.sdp`.
    static func decodeConnect(_ call: JSONValue, id: String, contacts: [JSONValue],
                              metadata: WebhookMetadata) -> CallConnectEvent {
        var session: CallSession?
        if let sdp = call["session"]?["sdp"]?.lenientString {
            let type = SDPType(rawValue: call["session"]?["sdp_type"]?.lenientString?.lowercased() ?? "")
            session = CallSession(sdpType: type ?? .offer, sdp: sdp)
        }
        if session == nil, let legacy = call["connection"]?["webrtc"]?["sdp"]?.lenientString {
            session = legacySession(legacy)
        }
        let rawDirection = call["direction"]?.lenientString?.uppercased() ?? ""
        let direction = CallDirection(rawValue: rawDirection)
            ?? (session?.sdpType == .answer ? .businessInitiated : .userInitiated)
        if session != nil, session?.sdpType == .offer, direction == .businessInitiated, call["session"] == nil {
            session?.sdpType = .answer
        }
        let user = WebhookUser.read(call, prefix: direction == .userInitiated ? "from" : "to", contacts: contacts)
        return CallConnectEvent(
            callID: id, direction: direction, from: call["from"]?.lenientString, to: call["to"]?.lenientString,
            timestamp: call["timestamp"]?.lenientDate,
            session: session, bizOpaqueCallbackData: call["biz_opaque_callback_data"]?.lenientString,
            deeplinkPayload: call["deeplink_payload"]?.lenientString, ctaPayload: call["cta_payload"]?.lenientString,
            user: user, metadata: metadata)
    }

    /// The legacy `connection.webrtc.sdp`: a JSON string `{"type","sdp"}` or plain SDP text.
    static func legacySession(_ text: String) -> CallSession? {
        if let object = try? JSONValue.parse(Data(text.utf8)), let sdp = object["sdp"]?.lenientString {
            let type = SDPType(rawValue: object["type"]?.lenientString?.lowercased() ?? "") ?? .answer
            return CallSession(sdpType: type, sdp: sdp)
        }
        guard text.hasPrefix("v=") else { return nil }
        return CallSession(sdpType: .answer, sdp: text)
    }

    /// A `terminate` item, with value-level errors merged in.
    static func decodeTerminate(_ call: JSONValue, id: String, valueErrors: [WebhookError], contacts: [JSONValue],
                                metadata: WebhookMetadata) -> CallTerminateEvent {
        var errors = (call["errors"]?.elements ?? []).compactMap(decodeError)
        for error in valueErrors where !errors.contains(error) { errors.append(error) }
        let direction = CallDirection(rawValue: call["direction"]?.lenientString?.uppercased() ?? "")
        var event = CallTerminateEvent(
            callID: id, direction: direction,
            from: call["from"]?.lenientString, to: call["to"]?.lenientString,
            timestamp: call["timestamp"]?.lenientDate, status: CallTerminationStatus(call["status"]?.lenientString),
            startTime: call["start_time"]?.lenientDate, endTime: call["end_time"]?.lenientDate,
            duration: call["duration"]?.lenientInt, errors: errors,
            bizOpaqueCallbackData: call["biz_opaque_callback_data"]?.lenientString, metadata: metadata)
        event.user = WebhookUser.read(call, prefix: direction == .businessInitiated ? "to" : "from", contacts: contacts)
        return event
    }

    /// A `statuses[]` item of type `call`; unknown statuses are dropped.
    static func decodeStatus(_ status: JSONValue, metadata: WebhookMetadata) -> CallStatusEvent? {
        guard let id = status["id"]?.lenientString, !id.isEmpty,
              let progress = CallProgress(rawValue: status["status"]?.lenientString?.uppercased() ?? "") else { return nil }
        if let type = status["type"]?.lenientString, type.lowercased() != "call" { return nil }
        return CallStatusEvent(
            callID: id, status: progress, timestamp: status["timestamp"]?.lenientDate,
            recipient: WebhookUser.read(status, prefix: "recipient", contacts: []),
            bizOpaqueCallbackData: status["biz_opaque_callback_data"]?.lenientString, metadata: metadata)
    }

    /// `field: "messages"`: `call_permission_reply` messages and, for the customer
    /// service window, who sent any other message and when (never its content);
    /// delivery `statuses` and Meta's `system` notices are ignored. `from` may be
    /// absent when Meta names the user only by `from_user_id`; a message with
    /// neither is dropped. At most ``maxMessagesPerChange`` messages are read.
    static func decodeMessagesChange(_ value: JSONValue, metadata: WebhookMetadata) -> [WebhookEvent] {
        let contacts = value["contacts"]?.elements ?? []
        return (value["messages"]?.elements ?? []).prefix(maxMessagesPerChange).compactMap { message -> WebhookEvent? in
            let user = WebhookUser.read(message, prefix: "from", contacts: contacts)
            guard !user.isAnonymous else { return nil }
            let interactive = message["interactive"]
            guard interactive?["type"]?.lenientString?.lowercased() == "call_permission_reply",
                  let reply = interactive?["call_permission_reply"] else {
                if message["type"]?.lenientString?.lowercased() == "system" { return nil }
                return .userMessage(UserMessageEvent(messageID: message["id"]?.lenientString, user: user,
                                                     timestamp: message["timestamp"]?.lenientDate, metadata: metadata))
            }
            return .permissionReply(CallPermissionReplyEvent(
                messageID: message["id"]?.lenientString, user: user, timestamp: message["timestamp"]?.lenientDate,
                accepted: reply["response"]?.lenientString?.lowercased() == "accept",
                isPermanent: reply["is_permanent"]?.lenientBool ?? false,
                expiration: reply["expiration_timestamp"]?.lenientDate,
                responseSource: reply["response_source"]?.lenientString,
                contextMessageID: message["context"]?["id"]?.lenientString, metadata: metadata))
        }
    }

    /// The most messages read from one `messages` change (Meta batches a few; a
    /// hostile body with thousands only costs this many events).
    static let maxMessagesPerChange = 100

    /// An error object (`code`, `title`, `message`, `error_data.details`, `href`).
    static func decodeError(_ error: JSONValue) -> WebhookError? {
        guard case .object = error else { return nil }
        return WebhookError(
            code: error["code"]?.lenientInt, title: error["title"]?.lenientString,
            message: error["message"]?.lenientString, details: error["error_data"]?["details"]?.lenientString,
            href: error["href"]?.lenientString)
    }
}
