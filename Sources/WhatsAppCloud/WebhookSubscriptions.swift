import Foundation

/// One app in `GET /{WABA_ID}/subscribed_apps`: `data[].whatsapp_business_api_data`
/// `{id, name, link}` and, when the WABA overrides the app's callback, `override_callback_uri`.
///
/// Meta does not list webhook fields here: fields (`calls`, `messages`, …) are
/// subscribed per app, read with ``AppSubscription`` (docs/whatsapp.md#subscriptions).
public struct SubscribedApp: Decodable, Sendable, Equatable {
    /// The app id.
    public var id: String
    /// The app's name.
    public var name: String?
    /// The WABA's alternate callback URL, when one is set.
    public var overrideCallbackURI: String?

    /// Creates an entry.
    public init(id: String, name: String? = nil, overrideCallbackURI: String? = nil) {
        self.id = id
        self.name = name
        self.overrideCallbackURI = overrideCallbackURI
    }

    /// Reads one `data[]` item leniently; an item without an app id does not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let app = try container.nestedContainer(keyedBy: AppKeys.self, forKey: .data)
        guard let id = app.lenientString(.id) else {
            throw DecodingError.keyNotFound(AppKeys.id, .init(codingPath: [], debugDescription: "app id"))
        }
        self.id = id
        name = app.lenientString(.name)
        overrideCallbackURI = container.lenientString(.overrideCallbackURI)
            ?? app.lenientString(.overrideCallbackURI)
    }

    enum CodingKeys: String, CodingKey {
        case data = "whatsapp_business_api_data"
        case overrideCallbackURI = "override_callback_uri"
    }

    enum AppKeys: String, CodingKey {
        case id, name
        case overrideCallbackURI = "override_callback_uri"
    }
}

/// One object of `GET /{APP_ID}/subscriptions` (asked with the app's own token):
/// the webhook the app receives for `object` and the fields it is subscribed to.
public struct AppSubscription: Decodable, Sendable, Equatable {
    /// `whatsapp_business_account` for WhatsApp.
    public var object: String
    /// Where Meta posts.
    public var callbackURL: String?
    /// False when Meta has switched the subscription off.
    public var active: Bool
    /// Field names, e.g. `["calls","messages"]` (`fields[].name`, or plain strings).
    public var fields: [String]

    /// Creates a subscription.
    public init(object: String, callbackURL: String? = nil, active: Bool = true, fields: [String]) {
        self.object = object
        self.callbackURL = callbackURL
        self.active = active
        self.fields = fields
    }

    /// Reads leniently: fields are `{name, version}` objects or plain strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        object = container.lenientString(.object) ?? ""
        callbackURL = container.lenientString(.callbackURL)
        active = container.lenientBool(.active) ?? true
        let raw = container.lenient([JSONValue].self, .fields) ?? []
        fields = raw.compactMap { $0["name"]?.lenientString ?? $0.stringValue }
    }

    enum CodingKeys: String, CodingKey {
        case object
        case callbackURL = "callback_url"
        case active, fields
    }
}

/// `{"data":[…]}`, the envelope of Graph list edges.
struct GraphList<Item: Decodable & Sendable>: Decodable, Sendable {
    /// The items that decoded; others are skipped.
    let data: [Item]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        data = container.lenientArray(Item.self, .data)
    }

    enum CodingKeys: String, CodingKey { case data }
}

extension GraphClient {
    /// `GET /{WABA_ID}/subscribed_apps`: the apps receiving the WABA's webhooks.
    public func subscribedApps(wabaID: String) async throws -> [SubscribedApp] {
        let list: GraphList<SubscribedApp> = try await send(
            .GET, path: "\(wabaID)/subscribed_apps", body: Optional<PhoneNumberSettings>.none, retry: .idempotent)
        return list.data
    }

    /// `GET /{APP_ID}/subscriptions` with the app access token `APP_ID|APP_SECRET`
    /// (Meta answers this edge only to the app itself). The token is never logged.
    public func appSubscriptions(appID: String, appSecret: String) async throws -> [AppSubscription] {
        var appSettings = settings
        appSettings.accessToken = "\(appID)|\(appSecret)"
        let client = GraphClient(settings: appSettings, httpClient: httpClient, logger: logger)
        let list: GraphList<AppSubscription> = try await client.send(
            .GET, path: "\(appID)/subscriptions", body: Optional<PhoneNumberSettings>.none, retry: .idempotent)
        return list.data
    }
}
