// Strict reading of the onboarding API's input: a JSON object with bounded,
// character-checked fields, and digit-only ids in paths.

import Foundation
public import WhatsAppCloud

/// Parses and checks what clients send to the onboarding API.
public enum OnboardingRequestParsing {
    /// The largest request body accepted.
    public static let maxBodyBytes = 8192
    /// The longest authorisation code accepted (Meta's are a few hundred characters).
    public static let maxCodeLength = 2048
    /// The longest Graph id accepted.
    public static let maxIDLength = 32

    /// The signup in `body`, or a 400 naming the bad field.
    public static func signup(_ body: [UInt8]) throws(OnboardingFailure) -> OnboardingSignup {
        guard let value = try? JSONValue.parse(Data(body)), case .object(let fields) = value else {
            throw OnboardingFailure(status: 400, "the body must be a JSON object")
        }
        let known: Set<String> = ["code", "waba_id", "phone_number_id", "name", "dial_prefix"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw OnboardingFailure(status: 400, "unknown field '\(unknown.prefix(40))'")
        }
        guard let code = fields["code"]?.stringValue, !code.isEmpty, code.utf8.count <= maxCodeLength,
              code.utf8.allSatisfy({ isCodeByte($0) }) else {
            throw OnboardingFailure(status: 400, "'code' must be the authorisation code from Meta's flow")
        }
        let waba = try graphID(fields["waba_id"]?.stringValue, field: "waba_id")
        let phone = try graphID(fields["phone_number_id"]?.stringValue, field: "phone_number_id")
        var name: String?
        if let given = fields["name"], given != .null {
            guard let text = given.stringValue, isName(text) else {
                throw OnboardingFailure(status: 400, "'name' must be 1-64 letters, digits, '-' or '_'")
            }
            name = text
        }
        var prefix = ""
        if let given = fields["dial_prefix"], given != .null {
            guard let text = given.stringValue, (1...8).contains(text.utf8.count),
                  text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw OnboardingFailure(status: 400, "'dial_prefix' must be 1-8 digits")
            }
            prefix = text
        }
        return OnboardingSignup(code: code, wabaID: waba, phoneNumberID: phone, name: name, dialPrefix: prefix)
    }

    /// A Graph id: 1-32 ASCII digits.
    public static func graphID(_ text: String?, field: String) throws(OnboardingFailure) -> String {
        guard let text, (1...maxIDLength).contains(text.utf8.count),
              text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw OnboardingFailure(status: 400, "'\(field)' must be 1-\(maxIDLength) digits")
        }
        return text
    }

    /// A number name: 1-64 of `A-Z a-z 0-9 - _`.
    public static func isName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
        }
    }

    /// Bytes an OAuth code may hold: printable ASCII except quote, backslash and space.
    private static func isCodeByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C
    }
}
