// The simulator's side of Embedded Signup: signups a test created (as if a
// business had finished Meta's flow on a provider's page), the codes waiting to
// be exchanged, the business tokens issued, and each new number's state.

import Foundation

/// One business that finished Embedded Signup in the simulator.
struct SimulatedSignup: Sendable {
    /// The authorisation code Meta's flow returned to the page; usable once.
    var code: String
    /// The number the business onboarded (its token is the business token).
    var number: SimulatedNumber
    /// When the code was issued (codes expire).
    var issuedAt: Date
    /// Whether the code was already exchanged.
    var exchanged = false
    /// Whether `POST /{phone_number_id}/register` succeeded.
    var registered: Bool
    /// Whether the app is in `/{waba_id}/subscribed_apps`.
    var subscribed = false
}

/// The signups by phone number id, and codes to numbers.
struct SimulatedOnboarding: Sendable {
    /// Every signup by phone number id.
    var signups: [String: SimulatedSignup] = [:]
    /// Codes to phone number ids.
    var codes: [String: String] = [:]

    /// How long an authorisation code may wait before it is exchanged. Meta's
    /// Embedded Signup pages ask for the exchange within 30 seconds; the
    /// simulator allows ten minutes so that slow test machines do not fail.
    static let codeLifetime: TimeInterval = 600
    /// The most signups kept.
    static let capacity = 1000

    /// The signup of `phoneNumberID`.
    func signup(_ phoneNumberID: String) -> SimulatedSignup? { signups[phoneNumberID] }

    /// Whether `wabaID` belongs to an onboarded business.
    func ownsWABA(_ wabaID: String) -> Bool { signups.values.contains { $0.number.wabaID == wabaID } }
}

extension SimulatedGraphError {
    /// An OAuth code that is unknown, used or expired (Meta's code 100, subcode 36007).
    static let badCode = Self(code: 100, httpStatus: 400, message: "Invalid verification code format.",
                              extraData: ["error_subcode": 36007])
    /// A wrong `client_id` or `client_secret` (Meta's code 1).
    static let badClient = Self(code: 1, httpStatus: 400, message: "Error validating client secret.")
    /// A wrong two-step verification PIN on `/register` (Meta's 133005).
    static let pinMismatch = Self(code: 133005, httpStatus: 400, message: "Two step verification PIN Mismatch",
                                  details: "Two step verification PIN mismatch")
}
