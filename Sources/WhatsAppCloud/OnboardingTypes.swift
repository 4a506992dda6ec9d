// What the onboarding API takes and gives: a signup from Meta's Embedded Signup
// flow, the numbers wagate serves, and a failure with its HTTP status.

import Foundation

/// What a provider's page posts after Meta's Embedded Signup flow finished.
public struct OnboardingSignup: Sendable, Equatable {
    /// The authorisation code the flow returned (exchanged for a business token).
    public var code: String
    /// The customer's WhatsApp Business Account id.
    public var wabaID: String
    /// The onboarded phone number's Graph id.
    public var phoneNumberID: String
    /// A name for the number (letters, digits, `-`, `_`); nil derives one from the id.
    public var name: String?
    /// Digits a SIP caller dials before a WhatsApp number to call out from this number.
    public var dialPrefix: String

    /// Creates a signup.
    public init(code: String, wabaID: String, phoneNumberID: String, name: String? = nil, dialPrefix: String = "") {
        self.code = code
        self.wabaID = wabaID
        self.phoneNumberID = phoneNumberID
        self.name = name
        self.dialPrefix = dialPrefix
    }

    /// The number's name: the given one, else `onboarded-ID`.
    public var effectiveName: String { name ?? "onboarded-\(phoneNumberID)" }
}

/// Where a number wagate serves comes from.
public enum NumberSource: String, Sendable, Codable {
    /// A `type = number` section (or `[whatsapp]`'s single-number keys).
    case config
    /// Added at runtime through the onboarding API and kept in the store.
    case onboarded
}

/// A number as the onboarding API lists it (no token).
public struct ListedNumber: Sendable, Equatable, Codable {
    /// The number's name.
    public var name: String
    /// Its Graph id.
    public var phoneNumberID: String
    /// `+E164`.
    public var businessNumber: String
    /// Its WhatsApp Business Account, when known.
    public var wabaID: String?
    /// Config file or onboarding.
    public var source: NumberSource

    /// Creates a listed number.
    public init(name: String, phoneNumberID: String, businessNumber: String, wabaID: String?, source: NumberSource) {
        self.name = name
        self.phoneNumberID = phoneNumberID
        self.businessNumber = businessNumber
        self.wabaID = wabaID
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case name, source
        case phoneNumberID = "phone_number_id"
        case businessNumber = "business_number"
        case wabaID = "waba_id"
    }
}

/// Why an onboarding request failed: an HTTP status and a text naming the step.
public struct OnboardingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 bad input, 404 unknown number, 409 conflict, 502 Meta refused a step.
    public var status: Int
    /// What went wrong, safe to show (never a token).
    public var message: String

    /// Creates a failure.
    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// What the onboarding listener asks of the gateway.
public protocol OnboardingBackend: Sendable {
    /// Runs the onboarding sequence for `signup` and serves the number; the stored number, or why not.
    func signup(_ signup: OnboardingSignup) async throws(OnboardingFailure) -> ListedNumber
    /// Every number served: config-file ones first, then onboarded ones.
    func numbers() async -> [ListedNumber]
    /// Stops serving and forgets an onboarded number.
    func remove(phoneNumberID: String) async throws(OnboardingFailure)
}
