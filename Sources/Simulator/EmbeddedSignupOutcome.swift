import Foundation
public import WhatsAppCloud

/// How the simulator's Embedded Signup dialog ends, set through
/// `PUT /control/embedded-signup`: a `FINISH` with the ids of a pending signup
/// (and the code the login callback gets), a `FINISH_ONLY_WABA` without a
/// number, a `CANCEL` at a step, or an `ERROR`.
public struct EmbeddedSignupOutcome: Sendable, Equatable {
    /// The `event` of the `WA_EMBEDDED_SIGNUP` message the dialog posts.
    public enum Event: String, Sendable, Equatable, CaseIterable {
        /// The customer finished: the message carries the WABA and phone number ids.
        case finish = "FINISH"
        /// The customer shared a WABA but added no phone number: only the WABA id.
        case finishOnlyWABA = "FINISH_ONLY_WABA"
        /// The customer closed the flow: the message names the step.
        case cancel = "CANCEL"
        /// Meta reported an error: the message carries its text.
        case error = "ERROR"
    }

    /// The event the dialog posts.
    public var event: Event
    /// The authorisation code the login callback gets (FINISH only).
    public var code: String?
    /// The WABA id in the FINISH message.
    public var wabaID: String?
    /// The phone number id in the FINISH message.
    public var phoneNumberID: String?
    /// The business portfolio id in the FINISH message.
    public var businessID: String?
    /// The step named in a CANCEL message.
    public var currentStep: String
    /// The text of an ERROR message.
    public var errorMessage: String
    /// When true the login callback runs before the message is posted (Meta gives no order).
    public var callbackFirst: Bool
    /// When set, a dialog opened with another `config_id` fails as Meta's does.
    public var expectedConfigID: String?

    /// The outcome before any is set: an error that says how to set one.
    public static let unset = EmbeddedSignupOutcome(
        event: .error, currentStep: "", errorMessage: "no pending signup: PUT /control/embedded-signup first",
        callbackFirst: false)

    /// Creates an outcome.
    public init(event: Event, code: String? = nil, wabaID: String? = nil, phoneNumberID: String? = nil,
                businessID: String? = nil, currentStep: String = "PHONE_NUMBER_SETUP",
                errorMessage: String = "An unexpected error occurred", callbackFirst: Bool = false,
                expectedConfigID: String? = nil) {
        self.event = event
        self.code = code
        self.wabaID = wabaID
        self.phoneNumberID = phoneNumberID
        self.businessID = businessID
        self.currentStep = currentStep
        self.errorMessage = errorMessage
        self.callbackFirst = callbackFirst
        self.expectedConfigID = expectedConfigID
    }

    /// Parses a control body: `event` (FINISH|FINISH_ONLY_WABA|CANCEL|ERROR, default FINISH),
    /// `code`, `waba_id`, `phone_number_id`, `business_id`, `current_step`,
    /// `error_message`, `callback_first`, `config_id`. A FINISH needs a code and
    /// digit-only ids of at most 32 digits (FINISH_ONLY_WABA: no phone number id); every text is at most 256 characters.
    public init(control body: JSONValue) throws {
        let name = (body["event"]?.stringValue ?? "FINISH").uppercased()
        guard let event = Event(rawValue: name) else {
            throw SimulatorError.badRequest(
                "event must be FINISH, FINISH_ONLY_WABA, CANCEL or ERROR, not \(name.prefix(32))")
        }
        func text(_ key: String) throws -> String? {
            guard let value = body[key]?.lenientString else { return nil }
            guard value.count <= 256 else { throw SimulatorError.badRequest("\(key) is longer than 256 characters") }
            return value
        }
        self.init(event: event, code: try text("code"), wabaID: try text("waba_id"),
                  phoneNumberID: try text("phone_number_id"), businessID: try text("business_id"),
                  currentStep: try text("current_step") ?? "PHONE_NUMBER_SETUP",
                  errorMessage: try text("error_message") ?? "An unexpected error occurred",
                  callbackFirst: body["callback_first"]?.lenientBool ?? false,
                  expectedConfigID: try text("config_id"))
        guard event == .finish || event == .finishOnlyWABA else { return }
        let isID = { (value: String?) in value.map { !$0.isEmpty && $0.count <= 32 && $0.allSatisfy(\.isASCII)
                && $0.allSatisfy(\.isNumber) } ?? false }
        guard code?.isEmpty == false, isID(wabaID), event == .finishOnlyWABA || isID(phoneNumberID) else {
            throw SimulatorError.badRequest("a FINISH needs code, and digit-only waba_id and phone_number_id")
        }
    }

    /// The outcome as the control API shows it.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "event": .string(event.rawValue), "current_step": .string(currentStep),
            "error_message": .string(errorMessage), "callback_first": .bool(callbackFirst),
        ]
        let optional = ["code": code, "waba_id": wabaID, "phone_number_id": phoneNumberID,
                        "business_id": businessID, "config_id": expectedConfigID]
        for (key, value) in optional { if let value { object[key] = .string(value) } }
        return .object(object)
    }
}
