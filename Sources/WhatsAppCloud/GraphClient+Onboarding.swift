// The Graph requests of Embedded Signup onboarding (Meta's "Embedded Signup:
// onboarding business customers as a Tech Provider" steps; docs/whatsapp-setup.md).

import Foundation

/// `GET /{version}/oauth/access_token`'s answer.
public struct OAuthTokenResponse: Decodable, Sendable, Equatable {
    /// The business integration system user access token.
    public var accessToken: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
    }
}

/// `GET /{phone_number_id}?fields=…`: what onboarding reads of a number.
public struct PhoneNumberInfo: Decodable, Sendable, Equatable {
    /// As Meta shows it, e.g. `+1 555-010-0001`.
    public var displayPhoneNumber: String
    /// The business's verified display name.
    public var verifiedName: String?
    /// `CLOUD_API` once registered for Cloud API; `NOT_APPLICABLE` before.
    public var platformType: String?
    /// `CONNECTED` once registered, `PENDING` before, among others.
    public var status: String?

    /// The fields requested.
    public static let fields = "display_phone_number,verified_name,platform_type,status"

    /// True when the number already takes Cloud API traffic (no `/register` needed).
    public var isRegistered: Bool {
        platformType?.uppercased() == "CLOUD_API" && status?.uppercased() == "CONNECTED"
    }

    /// `+` and the digits of ``displayPhoneNumber``, when they make an E.164 number.
    public var e164: String? {
        let digits = displayPhoneNumber.filter { $0.isASCII && $0.isNumber }
        guard (8...15).contains(digits.count), !digits.hasPrefix("0") else { return nil }
        return "+" + digits
    }

    enum CodingKeys: String, CodingKey {
        case displayPhoneNumber = "display_phone_number"
        case verifiedName = "verified_name"
        case platformType = "platform_type"
        case status
    }
}

/// The body of `POST /{phone_number_id}/register`.
struct RegisterRequest: Encodable, Sendable {
    let messagingProduct = "whatsapp"
    let pin: String

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product"
        case pin
    }
}

extension GraphClient {
    /// `GET /oauth/access_token?client_id&client_secret&code`: the business token
    /// for an Embedded Signup authorisation code. Sent without a bearer token.
    public func exchangeCode(_ code: String, appID: String, appSecret: String) async throws -> String {
        let response: OAuthTokenResponse = try await send(
            .GET, path: "oauth/access_token",
            query: [("client_id", appID), ("client_secret", appSecret), ("code", code)],
            body: Optional<SuccessResponse>.none, retry: .rateLimitOnly)
        return response.accessToken
    }

    /// `GET /{phone_number_id}?fields=display_phone_number,verified_name,platform_type,status`.
    public func phoneNumberInfo() async throws -> PhoneNumberInfo {
        try await send(.GET, path: settings.phoneNumberID, query: [("fields", PhoneNumberInfo.fields)],
                       body: Optional<SuccessResponse>.none, retry: .idempotent)
    }

    /// `POST /{waba_id}/subscribed_apps`: the app receives the WABA's webhooks.
    public func subscribeApp(toWABA wabaID: String) async throws {
        let response: SuccessResponse = try await send(
            .POST, path: "\(wabaID)/subscribed_apps", body: Optional<SuccessResponse>.none, retry: .idempotent)
        guard response.success else {
            throw WhatsAppCloudError.unexpectedResponse(path: "subscribed_apps", httpStatus: 200, body: "success is not true")
        }
    }

    /// `POST /{phone_number_id}/register` with `messaging_product` and the 6-digit `pin`.
    public func register(pin: String) async throws {
        let response: SuccessResponse = try await send(
            .POST, path: "\(settings.phoneNumberID)/register", body: RegisterRequest(pin: pin), retry: .rateLimitOnly)
        guard response.success else {
            throw WhatsAppCloudError.unexpectedResponse(path: "register", httpStatus: 200, body: "success is not true")
        }
    }

    /// Brings the number's calling settings to `desired`, sending only what differs.
    public func applyCallingSettings(_ desired: CallingSettings) async throws {
        let current = try await callingSettings()
        guard let update = CallingSettingsComparer.update(desired: desired, current: current) else { return }
        try await updateCallingSettings(update)
    }
}
