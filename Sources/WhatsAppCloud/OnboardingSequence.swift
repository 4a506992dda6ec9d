// The Graph side of onboarding one number from Embedded Signup: exchange the
// code, read the number, subscribe the app to the WABA, register the number if
// it is not yet, and enable calling. Nothing is stored here: the caller stores
// the result only when every step succeeded.

import Foundation

/// A number the sequence onboarded, with its business token (never logged).
public struct OnboardedNumber: Sendable, Equatable {
    /// The number's name.
    public var name: String
    /// Its Graph id.
    public var phoneNumberID: String
    /// `+E164`.
    public var businessNumber: String
    /// Its WhatsApp Business Account.
    public var wabaID: String
    /// The business integration system user token for its Graph requests.
    public var accessToken: String
    /// Digits a SIP caller dials before a WhatsApp number to call out from it.
    public var dialPrefix: String

    /// Creates a number.
    public init(name: String, phoneNumberID: String, businessNumber: String, wabaID: String, accessToken: String,
                dialPrefix: String = "") {
        self.name = name
        self.phoneNumberID = phoneNumberID
        self.businessNumber = businessNumber
        self.wabaID = wabaID
        self.accessToken = accessToken
        self.dialPrefix = dialPrefix
    }

    /// As the onboarding API lists it.
    public var listed: ListedNumber {
        ListedNumber(name: name, phoneNumberID: phoneNumberID, businessNumber: businessNumber, wabaID: wabaID,
                     source: .onboarded)
    }
}

/// Runs the onboarding steps against Graph.
public struct OnboardingSequence: Sendable {
    /// The Meta app id (`client_id`).
    public var appID: String
    /// The app secret (`client_secret`). Never logged.
    public var appSecret: String
    /// The two-step verification PIN used to register; nil refuses numbers that need registering.
    public var registrationPIN: String?
    /// The calling settings every onboarded number gets.
    public var desiredCalling: CallingSettings
    /// A Graph client for a phone number id and a token (empty for the code exchange).
    public var client: @Sendable (_ phoneNumberID: String, _ accessToken: String) -> GraphClient

    /// Creates the sequence.
    public init(appID: String, appSecret: String, registrationPIN: String?, desiredCalling: CallingSettings,
                client: @escaping @Sendable (String, String) -> GraphClient) {
        self.appID = appID
        self.appSecret = appSecret
        self.registrationPIN = registrationPIN
        self.desiredCalling = desiredCalling
        self.client = client
    }

    /// Runs every step for `signup`; the failure names the step that failed.
    public func run(_ signup: OnboardingSignup) async throws(OnboardingFailure) -> OnboardedNumber {
        let token = try await step("code exchange") {
            try await client(signup.phoneNumberID, "").exchangeCode(signup.code, appID: appID, appSecret: appSecret)
        }
        let graph = client(signup.phoneNumberID, token)
        let info = try await step("number lookup") { try await graph.phoneNumberInfo() }
        guard let e164 = info.e164 else {
            throw OnboardingFailure(status: 502, "number lookup failed: Meta's display_phone_number is not a phone number")
        }
        try await step("app subscription") { try await graph.subscribeApp(toWABA: signup.wabaID) }
        if !info.isRegistered {
            guard let pin = registrationPIN else {
                throw OnboardingFailure(status: 409, "registration needed: the number is not registered for Cloud API "
                    + "and [onboarding] has no registration_pin")
            }
            try await step("registration") { try await graph.register(pin: pin) }
        }
        try await step("calling settings") { try await graph.applyCallingSettings(desiredCalling) }
        return OnboardedNumber(name: signup.effectiveName, phoneNumberID: signup.phoneNumberID, businessNumber: e164,
                               wabaID: signup.wabaID, accessToken: token, dialPrefix: signup.dialPrefix)
    }

    /// Runs one step, turning its error into a 502 that names the step.
    private func step<T>(_ name: String, _ body: () async throws -> T) async throws(OnboardingFailure) -> T {
        do {
            return try await body()
        } catch let error as WhatsAppCloudError {
            throw OnboardingFailure(status: 502, "\(name) failed: \(Self.describe(error))")
        } catch {
            throw OnboardingFailure(status: 502, "\(name) failed: \(error)")
        }
    }

    /// Meta's code and message, or the transport problem; never a token.
    static func describe(_ error: WhatsAppCloudError) -> String {
        if case .graph(let graph) = error { return "Meta answered \(graph.httpStatus) code \(graph.code): \(graph.message)" }
        return "\(error)"
    }
}
