import Foundation
import WhatsAppCloud

/// Calling settings (each number its own), subscriptions, restrictions and account webhooks.
extension MetaSimulatorCore {
    /// The settings every number starts with: calling enabled, SIP off, DTLS,
    /// and `codecs` (`PCMU`, `PCMA`) in `audio.additional_codecs` when any.
    static func initialCalling(codecs: [String]) -> CallingSettings {
        var calling = CallingSettings(status: "ENABLED", callIconVisibility: "DEFAULT",
                                      callbackPermissionStatus: "DISABLED", sip: .init(status: "DISABLED"),
                                      srtpKeyExchangeProtocol: "DTLS")
        if !codecs.isEmpty { calling.audio = .init(additionalCodecs: codecs) }
        return calling
    }

    /// The calling settings of `number`.
    func callingSettings(of number: SimulatedNumber) -> CallingSettings {
        calling[number.phoneNumberID] ?? Self.initialCalling(for: number, settings: settings)
    }

    /// `GET /{WABA}/subscribed_apps` and `GET /{APP}/subscriptions`.
    func accountRoute(method: String, segments: [String]) -> (Int, JSONValue) {
        switch (method, segments[1], segments[2]) {
        case ("GET", let waba, "subscribed_apps") where settings.numbers.contains(where: { $0.wabaID == waba }):
            return (200, account.subscribedApps(appID: settings.appID))
        case ("GET", settings.appID, "subscriptions"):
            return (200, account.appSubscriptions(callbackURL: settings.webhookURL, version: segments[0]))
        default:
            return Self.answer(.invalidParameter("Unsupported \(method) request on \(segments[2])"))
        }
    }

    /// `POST /{PHONE_NUMBER_ID}/settings`: validated like Meta, then merged into
    /// that number's settings (only the members sent change; `call_hours` is replaced whole).
    func updateSettings(_ body: [UInt8], number: SimulatedNumber) throws -> (Int, JSONValue) {
        let update = try SimulatedCallingSettingsRules.validate(Self.parseObject(body))
        merge(update, into: number)
        return (200, try Self.encode(SuccessResponse()))
    }

    /// Sets any members of `update` on `number` without validation (the control API's way
    /// to put a number in a state Meta would create: disabled, restricted, SIP mode);
    /// returns the number's settings after.
    @discardableResult
    func merge(_ update: CallingSettings, into number: SimulatedNumber) -> CallingSettings {
        var calling = callingSettings(of: number)
        if let value = update.status { calling.status = value }
        if let value = update.callIconVisibility { calling.callIconVisibility = value }
        if let value = update.callIcons { calling.callIcons = value }
        if let value = update.callHours { calling.callHours = value }
        if let value = update.callbackPermissionStatus { calling.callbackPermissionStatus = value }
        if let value = update.sip { calling.sip = value }
        if let value = update.srtpKeyExchangeProtocol { calling.srtpKeyExchangeProtocol = value }
        if let value = update.audio { calling.audio = value }
        if let value = update.restrictions { calling.restrictions = value.restrictionsList.isEmpty ? nil : value }
        self.calling[number.phoneNumberID] = calling
        return calling
    }

    /// Control: the app's subscription to the WABA and its webhook fields.
    func setSubscriptions(appSubscribed: Bool?, fields: [String]?) -> JSONValue {
        if let appSubscribed { account.appSubscribed = appSubscribed }
        if let fields { account.fields = fields }
        return ["app_subscribed": .bool(account.appSubscribed), "fields": .array(account.fields.map(JSONValue.string))]
    }

    /// Control: the Graph requests served, oldest first.
    func graphRequests() -> [JSONValue] { account.requests }

    /// Control: sends an `account_update` / `account_settings_update` webhook.
    func sendAccountEvent(field: String, value: JSONValue?) throws -> JSONValue {
        guard AccountEvent.fields.contains(field) else {
            throw SimulatorError.badRequest("field must be account_update or account_settings_update")
        }
        var object: [String: JSONValue] = [:]
        if case .object(let given)? = value { object = given }
        if object["phone_number"] == nil { object["phone_number"] = .string(settings.displayPhoneNumber) }
        if field == "account_settings_update", object["phone_number_id"] == nil {
            object["phone_number_id"] = .string(settings.phoneNumberID)
        }
        let payload: JSONValue = [
            "object": "whatsapp_business_account",
            "entry": [["id": .string(settings.wabaID), "time": .number(now().timeIntervalSince1970.rounded()),
                       "changes": [["field": .string(field), "value": .object(object)]]]],
        ]
        dispatcher.send(payload)
        return payload
    }
}
