import Foundation
import WhatsAppCloud

/// Embedded Signup in the simulator: a test creates a signup (what Meta's flow
/// leaves behind: a WABA, a number and an authorisation code), then wagate
/// exchanges the code, reads the number, subscribes the app, registers the
/// number and enables calling through the Graph routes below.
extension MetaSimulatorCore {
    /// `POST /control/onboarding/codes`: a business finished Embedded Signup.
    /// Optional `waba_id`, `phone_number_id`, `business_number` (digits or `+E164`)
    /// and `registered`; missing ids are made up. The new number is served at once
    /// (calling disabled, not registered, app not subscribed, as Meta leaves it).
    func createSignup(_ body: JSONValue) throws -> JSONValue {
        guard onboarding.signups.count < SimulatedOnboarding.capacity else {
            throw SimulatorError.badRequest("too many simulated signups")
        }
        let phoneID = body["phone_number_id"]?.lenientString ?? Self.randomDigits(15)
        let wabaID = body["waba_id"]?.lenientString ?? Self.randomDigits(15)
        let display = (body["business_number"]?.lenientString ?? "1555\(Self.randomDigits(7))").filter(\.isNumber)
        guard [phoneID, wabaID].allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), (8...15).contains(display.count) else {
            throw SimulatorError.badRequest("ids must be digits and business_number 8-15 digits")
        }
        guard onboarding.signups[phoneID] == nil, settings.number(withID: phoneID) == nil else {
            throw SimulatorError.badRequest("phone_number_id \(phoneID) is already served")
        }
        let number = SimulatedNumber(phoneNumberID: phoneID, displayPhoneNumber: display, wabaID: wabaID,
                                     accessToken: "EAAsim\(MetaIDs.random().filter { $0.isLetter || $0.isNumber })")
        let code = "AQ\(MetaIDs.random())"
        onboarding.signups[phoneID] = SimulatedSignup(code: code, number: number, issuedAt: now(),
                                                      registered: body["registered"]?.lenientBool ?? false)
        onboarding.codes[code] = phoneID
        settings.additionalNumbers.append(number)
        webhooks.settings.additionalNumbers.append(number)
        var calling = Self.initialCalling(codecs: settings.additionalCodecs)
        calling.status = "DISABLED"
        self.calling[phoneID] = calling
        logger.info("simulated Embedded Signup", metadata: ["phone_number_id": "\(phoneID)", "waba_id": "\(wabaID)"])
        return ["code": .string(code), "waba_id": .string(wabaID), "phone_number_id": .string(phoneID),
                "business_number": .string("+\(display)")]
    }

    /// `GET /control/onboarding/{phone_number_id}`: what the onboarding sequence did.
    func signupState(_ phoneID: String) throws -> JSONValue {
        guard let signup = onboarding.signup(phoneID) else { throw SimulatorError.badRequest("no signup for \(phoneID)") }
        return ["exchanged": .bool(signup.exchanged), "registered": .bool(signup.registered),
                "subscribed": .bool(signup.subscribed),
                "calling_status": .string(callingSettings(of: signup.number).status ?? "")]
    }

    /// The onboarding Graph routes, or nil for other requests.
    func onboardingRoute(method: String, segments: [String], query: [String: String],
                         body: [UInt8]) -> (Int, JSONValue)? {
        switch (method, segments[1], segments[2]) {
        case ("GET", "oauth", "access_token"):
            return exchangeCode(query)
        case ("POST", let waba, "subscribed_apps") where onboarding.ownsWABA(waba) || servesWABA(waba):
            for (id, signup) in onboarding.signups where signup.number.wabaID == waba {
                onboarding.signups[id]?.subscribed = true
            }
            return (200, ["success": true])
        case ("GET", let waba, "subscribed_apps") where onboarding.ownsWABA(waba):
            let subscribed = onboarding.signups.values.contains { $0.number.wabaID == waba && $0.subscribed }
            return (200, subscribed ? account.subscribedApps(appID: settings.appID) : ["data": []])
        case ("POST", let phone, "register") where settings.number(withID: phone) != nil:
            return register(phone, body: body)
        case ("GET", let phone, "") where settings.number(withID: phone) != nil:
            return (200, phoneNumberFields(phone))
        default:
            return nil
        }
    }

    private func servesWABA(_ waba: String) -> Bool { settings.numbers.contains { $0.wabaID == waba } }

    /// `GET /{version}/oauth/access_token?client_id&client_secret&code`.
    private func exchangeCode(_ query: [String: String]) -> (Int, JSONValue) {
        guard query["client_id"] == settings.appID, query["client_secret"] == settings.appSecret else {
            return Self.answer(.badClient)
        }
        guard let code = query["code"], let phoneID = onboarding.codes[code],
              let signup = onboarding.signups[phoneID], !signup.exchanged,
              now().timeIntervalSince(signup.issuedAt) <= SimulatedOnboarding.codeLifetime else {
            return Self.answer(.badCode)
        }
        onboarding.signups[phoneID]?.exchanged = true
        onboarding.codes[code] = nil
        return (200, ["access_token": .string(signup.number.accessToken ?? ""), "token_type": "bearer"])
    }

    /// `POST /{phone_number_id}/register` with `messaging_product` and a 6-digit `pin`.
    private func register(_ phone: String, body: [UInt8]) -> (Int, JSONValue) {
        guard let object = try? Self.parseObject(body), object["messaging_product"]?.stringValue == "whatsapp" else {
            return Self.answer(.invalidParameter("messaging_product must be whatsapp"))
        }
        guard let pin = object["pin"]?.lenientString, pin.count == 6, pin.allSatisfy(\.isNumber) else {
            return Self.answer(.invalidParameter("pin must be 6 digits"))
        }
        if let expected = settings.registrationPIN, pin != expected { return Self.answer(.pinMismatch) }
        onboarding.signups[phone]?.registered = true
        return (200, ["success": true])
    }

    /// `GET /{phone_number_id}?fields=…`: Meta's phone number node.
    private func phoneNumberFields(_ phone: String) -> JSONValue {
        let number = settings.number(withID: phone)
        let registered = onboarding.signup(phone)?.registered ?? true
        return ["id": .string(phone), "display_phone_number": .string(Self.formatted(number?.displayPhoneNumber ?? "")),
                "verified_name": "Simulated Business", "code_verification_status": "VERIFIED",
                "quality_rating": "GREEN", "platform_type": .string(registered ? "CLOUD_API" : "NOT_APPLICABLE"),
                "status": .string(registered ? "CONNECTED" : "PENDING")]
    }

    /// Digits written as Meta displays them: `+1 555-000-1111` for NANP numbers, else `+digits`.
    static func formatted(_ digits: String) -> String {
        guard digits.count == 11, digits.hasPrefix("1") else { return "+\(digits)" }
        let d = Array(digits)
        return "+1 \(String(d[1...3]))-\(String(d[4...6]))-\(String(d[7...10]))"
    }

    /// Whether a simulated user may call `number`: an onboarded number only once registered.
    func checkServable(_ number: SimulatedNumber) throws {
        if let signup = onboarding.signup(number.phoneNumberID), !signup.registered || !signup.subscribed {
            throw SimulatorError.badRequest("the onboarded number \(number.displayPhoneNumber) is not registered or its WABA has no app subscribed")
        }
    }

    private static func randomDigits(_ count: Int) -> String {
        String((0..<count).map { index in Character(String(Int.random(in: index == 0 ? 1...9 : 0...9))) })
    }
}
