import Foundation
import WhatsAppCloud

/// The simulator's view of the app and the WABA: whether the app is subscribed
/// to the WABA and to which webhook fields, and a record of the Graph requests
/// it served (for tests that assert what was, or was not, sent).
struct SimulatedAccount: Sendable {
    /// Whether the app is in `GET /{WABA}/subscribed_apps`.
    var appSubscribed = true
    /// The app's webhook fields (`GET /{APP}/subscriptions`).
    var fields = ["calls", "messages"]
    /// Recent Graph requests: `{method, path, body}`, oldest first.
    private(set) var requests: [JSONValue] = []

    /// How many requests are kept.
    static let requestCapacity = 500

    /// Records one request (the body cut to 4 KiB).
    mutating func record(method: String, segments: [String], body: [UInt8]) {
        if requests.count >= Self.requestCapacity { requests.removeFirst(requests.count - Self.requestCapacity + 1) }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        requests.append(["method": .string(method), "path": .string("/" + segments.joined(separator: "/")),
                         "body": .string(text)])
    }

    /// `GET /{WABA}/subscribed_apps`.
    func subscribedApps(appID: String) -> JSONValue {
        guard appSubscribed else { return ["data": []] }
        return ["data": [["whatsapp_business_api_data": [
            "id": .string(appID), "name": "wagate sandbox", "link": .string("https://www.facebook.com/games/?app_id=\(appID)"),
        ]]]]
    }

    /// `GET /{APP}/subscriptions`.
    func appSubscriptions(callbackURL: String?, version: String) -> JSONValue {
        let fieldObjects = fields.map { JSONValue.object(["name": .string($0), "version": .string(version)]) }
        return ["data": [[
            "object": "whatsapp_business_account", "callback_url": callbackURL.map(JSONValue.string) ?? .null,
            "active": true, "fields": .array(fieldObjects),
        ]]]
    }
}
