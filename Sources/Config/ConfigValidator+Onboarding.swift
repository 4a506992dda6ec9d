// Building [onboarding]: the Embedded Signup listener and its secrets.

import NetTypes

extension ConfigValidator {
    /// Validates `[onboarding]` (called only when the section is present); nil when it is unusable.
    func buildOnboarding(_ reader: SectionReader, whatsapp: WhatsAppConfig,
                         names: [String: SectionKind]) -> OnboardingConfig? {
        let (bind, insecure) = listenerBind(reader, default: OnboardingConfig.defaultBind)
        let token = listenerToken(reader)
        let key = onboardingKey(reader)
        let sandboxApp = whatsapp.mode == .sandbox ? WhatsAppConfig.sandboxAppID : nil
        let appID = reader.optionalString("app_id") ?? whatsapp.appID ?? sandboxApp ?? ""
        if appID.isEmpty || !appID.allSatisfy(\.isASCIIDigit) {
            reader.problem(reader.line(of: "app_id"),
                           "[onboarding] needs the Meta app id (digits) in 'app_id' or in [whatsapp] 'app_id'")
        }
        let configID = reader.string("config_id", default: "")
        if !configID.allSatisfy(\.isASCIIDigit) {
            reader.problem(reader.line(of: "config_id"), "'config_id' of [onboarding] must be digits")
        }
        let pin = onboardingPIN(reader)
        var target: InboundTarget?
        if let entry = reader.usable("inbound_target"), !entry.value.isEmpty {
            target = inboundTarget(entry.value, reader: reader, key: "inbound_target", line: entry.line, names: names)
        }
        guard let token, let key else { return nil }
        return OnboardingConfig(
            bind: bind, allowInsecureBind: insecure, token: token, encryptionKey: key, appID: appID,
            configID: configID, sdkURL: httpsURL(reader, "sdk_url", default: OnboardingConfig.defaultSDKURL),
            dialogOrigin: httpsURL(reader, "dialog_origin", default: OnboardingConfig.defaultDialogOrigin),
            registrationPIN: pin, inboundTarget: target)
    }

    private func onboardingKey(_ reader: SectionReader) -> EncryptionKey? {
        guard let entry = reader.usable("encryption_key"), !entry.value.isEmpty else {
            reader.problem(reader.line(of: "encryption_key"),
                           "[onboarding] needs 'encryption_key': 32 bytes as 64 hex digits or base64 (e.g. 'openssl rand -hex 32')")
            return nil
        }
        guard let key = EncryptionKey(text: entry.value) else {
            reader.problem(entry.line, "'encryption_key' of [onboarding] must be 32 bytes as 64 hex digits or base64")
            return nil
        }
        return key
    }

    private func onboardingPIN(_ reader: SectionReader) -> Secret? {
        guard let pin = secret(reader, "registration_pin") else { return nil }
        guard pin.reveal().utf8.count == 6, pin.reveal().allSatisfy(\.isASCIIDigit) else {
            reader.problem(reader.line(of: "registration_pin"), "'registration_pin' of [onboarding] must be 6 digits")
            return nil
        }
        return pin
    }

    private func httpsURL(_ reader: SectionReader, _ key: String, default fallback: String) -> String {
        guard let entry = reader.usable(key), !entry.value.isEmpty else { return fallback }
        let value = entry.value
        let unsafe = value.contains { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "<" || $0 == ">" || $0 == "\\" }
        guard value.hasPrefix("https://") || value.hasPrefix("http://"), !unsafe, value.utf8.count <= 512 else {
            reader.bad(entry, expected: "an http(s) URL without quotes or spaces")
            return fallback
        }
        return value
    }
}

extension Character {
    /// True for `0`–`9` only.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
