import Foundation
import WhatsAppCloud

/// `GET /{PHONE_NUMBER_ID}/settings?include_sip_credentials=true`: Meta adds
/// the number's generated digest password and the configuring app's id to
/// each of its SIP servers while SIP is enabled (docs/whatsapp.md#sip-credentials).
extension MetaSimulatorCore {
    /// The settings document of `number`, with SIP credentials when the query asks for them.
    func settingsDocument(of number: SimulatedNumber, query: [String: String]) throws -> JSONValue {
        let calling = callingSettings(of: number)
        let document = try Self.encode(PhoneNumberSettings(calling: calling))
        guard query["include_sip_credentials"]?.lowercased() == "true", calling.isSIPEnabled,
              case .object(var root) = document, case .object(var callingJSON)? = root["calling"],
              case .object(var sip)? = callingJSON["sip"], case .array(let servers)? = sip["servers"]
        else { return document }
        let password = sipUserPassword(of: number)
        sip["servers"] = .array(servers.map { server in
            guard case .object(var fields) = server else { return server }
            fields["app_id"] = .number(Double(settings.appID) ?? 0)
            fields["sip_user_password"] = .string(password)
            return .object(fields)
        })
        callingJSON["sip"] = .object(sip)
        root["calling"] = .object(callingJSON)
        return .object(root)
    }

    /// The number's SIP password: the configured one, else one generated on first
    /// use and kept (Meta generates one per number and app).
    func sipUserPassword(of number: SimulatedNumber) -> String {
        if let configured = number.sip?.password { return configured }
        if let generated = sipUserPasswords[number.phoneNumberID] { return generated }
        let generated = SimulatedNumber.generatedSIPPassword()
        sipUserPasswords[number.phoneNumberID] = generated
        return generated
    }
}

extension SimulatedNumber {
    /// A password of the shape Meta generates: 32 random letters and digits.
    public static func generatedSIPPassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
