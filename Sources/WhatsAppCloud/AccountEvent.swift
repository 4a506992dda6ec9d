public import Foundation

/// An `account_update` or `account_settings_update` webhook change: Meta telling
/// the business about its account (violations, restrictions, verification) or a
/// change to a number's settings (docs/whatsapp.md#account-webhooks).
///
/// Meta's payloads for these fields vary by event, so only what identifies the
/// event is typed; the rest is kept as bounded text for the log.
public struct AccountEvent: Sendable, Equatable {
    /// `account_update` or `account_settings_update`.
    public var field: String
    /// What happened: `value.event` (e.g. `ACCOUNT_VIOLATION`), else `value.type`.
    public var event: String?
    /// The business number the event is about (`value.phone_number`), when given.
    public var phoneNumber: String?
    /// The phone number id, from `metadata`, `value.phone_number_id` or a nested settings object.
    public var phoneNumberID: String?
    /// `entry[].id`: the WABA.
    public var wabaID: String?
    /// `entry[].time` or `value.timestamp`.
    public var timestamp: Date?
    /// The `value` as compact JSON, cut to 512 characters.
    public var detail: String

    /// Creates an event.
    public init(field: String, event: String? = nil, phoneNumber: String? = nil, phoneNumberID: String? = nil,
                wabaID: String? = nil, timestamp: Date? = nil, detail: String = "") {
        self.field = field
        self.event = event
        self.phoneNumber = phoneNumber
        self.phoneNumberID = phoneNumberID
        self.wabaID = wabaID
        self.timestamp = timestamp
        self.detail = detail
    }

    /// The webhook fields decoded into account events.
    public static let fields: Set<String> = ["account_update", "account_settings_update"]
}

extension WebhookDecoder {
    /// One `account_update` / `account_settings_update` change, read leniently;
    /// nil when its value is not an object.
    static func decodeAccountChange(field: String, value: JSONValue, entry: JSONValue,
                                    metadata: WebhookMetadata) -> AccountEvent? {
        guard case .object = value else { return nil }
        let nestedID = ["phone_number_settings", "calling", "settings"].lazy
            .compactMap { value[$0]?["phone_number_id"]?.lenientString }.first
        let detailData = (try? GraphJSON.encoder.encode(value)) ?? Data()
        return AccountEvent(
            field: field,
            event: value["event"]?.lenientString ?? value["type"]?.lenientString,
            phoneNumber: value["phone_number"]?.lenientString ?? metadata.displayPhoneNumber,
            phoneNumberID: metadata.phoneNumberID ?? value["phone_number_id"]?.lenientString ?? nestedID,
            wabaID: metadata.wabaID,
            timestamp: entry["time"]?.lenientDate ?? value["timestamp"]?.lenientDate,
            detail: String(String(decoding: detailData, as: UTF8.self).prefix(512)))
    }
}
