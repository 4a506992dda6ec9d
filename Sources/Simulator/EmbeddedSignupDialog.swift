public import Foundation
public import WhatsAppCloud

/// One opening of the simulator's Embedded Signup dialog: what the fake SDK's
/// `FB.login` passed on (from the dialog URL's query), and the messages the
/// dialog posts back to the page that opened it.
public struct EmbeddedSignupDialog: Sendable, Equatable {
    /// The `type` of Meta's session-info messages.
    static let messageType = "WA_EMBEDDED_SIGNUP"
    /// The `type` of the simulator's own message that hands the login result to the fake SDK.
    static let loginResultType = "wagate-simulator-login-result"
    /// The Embedded Signup version the messages claim.
    static let version = "4"

    /// The app id given to `FB.init`.
    public var appID: String
    /// The `config_id` given to `FB.login`.
    public var configID: String
    /// The `response_type` given to `FB.login`.
    public var responseType: String
    /// Whether `override_default_response_type` was true.
    public var overrideDefaultResponseType: Bool
    /// The `extras` object given to `FB.login`, as JSON text.
    public var extras: String
    /// The Graph version given to `FB.init`.
    public var graphVersion: String
    /// The origin of the page that opened the dialog; the dialog posts only to it.
    public var origin: String

    /// Reads the dialog URL's query; every value is cut to 512 characters.
    public init(query: [String: String]) {
        func value(_ key: String) -> String { String((query[key] ?? "").prefix(512)) }
        appID = value("app_id")
        configID = value("config_id")
        responseType = value("response_type")
        overrideDefaultResponseType = value("override_default_response_type") == "true"
        extras = value("extras")
        graphVersion = value("version")
        origin = value("origin")
    }

    /// True when `origin` is an `http(s)://host[:port]` origin the dialog may post to.
    public var hasValidOrigin: Bool {
        guard let url = URL(string: origin), let scheme = url.scheme, url.host?.isEmpty == false,
              url.path.isEmpty, url.query == nil, url.fragment == nil else { return false }
        return scheme == "http" || scheme == "https"
    }

    /// What is wrong with the request, in Meta's words where Meta has some; nil when fine.
    func problem(appID expected: String, outcome: EmbeddedSignupOutcome) -> String? {
        if appID != expected { return "Invalid App ID: the provided app_id is not a valid app ID" }
        if configID.isEmpty { return "Invalid configuration: config_id is missing" }
        if let wanted = outcome.expectedConfigID, wanted != configID {
            return "Invalid configuration: config_id \(configID) does not belong to this app"
        }
        if responseType != "code" || !overrideDefaultResponseType {
            return "Embedded Signup needs response_type code with override_default_response_type"
        }
        return nil
    }

    /// The JSON texts the dialog posts, in order: the `WA_EMBEDDED_SIGNUP` message
    /// and the login result for the fake SDK (reversed when `callbackFirst`). A
    /// bad request ends in a reported error (`error_message`, `error_id`,
    /// `session_id`, `timestamp`) under `CANCEL`, and no code.
    public func messages(appID expected: String, outcome: EmbeddedSignupOutcome, sessionID: String,
                         now: Date) -> [String] {
        var signup: [String: JSONValue] = ["type": .string(Self.messageType), "version": .string(Self.version)]
        var code: String?
        let errorData = { (text: String) -> JSONValue in
            ["error_message": .string(text), "error_id": "524126", "session_id": .string(sessionID),
             "timestamp": .string(String(Int(now.timeIntervalSince1970)))]
        }
        if let problem = problem(appID: expected, outcome: outcome) {
            signup["event"] = "CANCEL"
            signup["data"] = errorData(problem)
        } else {
            signup["event"] = .string(outcome.event.rawValue)
            switch outcome.event {
            case .finish, .finishOnlyWABA:
                var data: [String: JSONValue] = ["waba_id": .string(outcome.wabaID ?? "")]
                if outcome.event == .finish { data["phone_number_id"] = .string(outcome.phoneNumberID ?? "") }
                if let business = outcome.businessID { data["business_id"] = .string(business) }
                signup["data"] = .object(data)
                code = outcome.code
            case .cancel: signup["data"] = ["current_step": .string(outcome.currentStep)]
            case .error: signup["data"] = errorData(outcome.errorMessage)
            }
        }
        var login: [String: JSONValue] = ["type": .string(Self.loginResultType)]
        if let code { login["code"] = .string(code) }
        let texts = [JSONValue.object(signup), .object(login)].map(Self.text)
        return outcome.callbackFirst ? texts.reversed() : texts
    }

    /// The request as the control API shows it.
    public var json: JSONValue {
        ["app_id": .string(appID), "config_id": .string(configID), "response_type": .string(responseType),
         "override_default_response_type": .bool(overrideDefaultResponseType), "extras": .string(extras),
         "version": .string(graphVersion), "origin": .string(origin)]
    }

    private static func text(_ value: JSONValue) -> String {
        String(decoding: (try? GraphJSON.encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
