// Building [http], [whatsapp] and [dialplan].

import NetTypes

extension ConfigValidator {
    /// Validates `[http]`.
    func buildHTTP(_ reader: SectionReader) -> HTTPConfig {
        let defaults = HTTPConfig.defaults
        let listen = listenAddress(reader, "listen", default: defaults.listen, example: "'127.0.0.1:8080' or '[::1]:8080'")
        let path = reader.string("webhook_path", default: defaults.webhookPath)
        if let entry = reader.usable("webhook_path"),
           !path.hasPrefix("/") || path.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) {
            reader.bad(entry, expected: "a path starting with '/', without spaces, '?' or '#'")
        }
        var config = HTTPConfig(listen: listen, webhookPath: path)
        config.tls = buildHTTPTLS(reader)
        return config
    }

    /// Validates `[whatsapp]`; in cloud mode the app secret and verify token are
    /// required, and the number's credentials too unless `type = number` sections
    /// (`hasNumberSections`) carry them.
    func buildWhatsApp(_ reader: SectionReader, hasNumberSections: Bool) -> WhatsAppConfig {
        var config = WhatsAppConfig.defaults
        config.mode = reader.choice("mode", default: config.mode)
        if config.mode == .cloud {
            let reason = "required when mode = cloud"
            let numberKeys = hasNumberSections ? [] : ["phone_number_id", "business_number", "access_token"]
            for key in numberKeys + ["app_secret", "verify_token"]
            where !reader.has(key) {
                _ = reader.required(key, reason: reason)
            }
        }
        if let entry = reader.usable("graph_url") {
            if let url = Self.normalizedHTTPURL(entry.value) { config.graphURL = url } else {
                reader.bad(entry, expected: "an http:// or https:// URL such as 'https://graph.facebook.com'")
            }
        }
        if let entry = reader.usable("graph_version") {
            if let version = GraphVersion(entry.value) {
                config.graphVersion = version.description
            } else {
                reader.bad(entry, expected: "a Graph API version such as '\(GraphVersion.current)'")
            }
        }
        if let entry = reader.usable("phone_number_id"), let id = graphID(entry, reader: reader) {
            config.phoneNumberID = id
        }
        if let entry = reader.usable("business_number"), let number = businessNumber(entry, reader: reader) {
            config.businessNumber = number
        }
        config.accessToken = secret(reader, "access_token") ?? config.accessToken
        config.appSecret = secret(reader, "app_secret") ?? config.appSecret
        config.verifyToken = secret(reader, "verify_token") ?? config.verifyToken
        config.requestTimeout = reader.seconds("request_timeout", default: 10, in: 1...300)
        config.resilience = buildGraphResilience(reader)
        config.calling = buildCallingSettings(reader)
        config.metaCapture = buildMetaCapture(reader)
        buildMetaIDs(reader, into: &config)
        config.sendPermissionRequest = reader.bool("send_permission_request", default: false)
        config.permissionRequestText = reader.string("permission_request_text", default: config.permissionRequestText)
        if let entry = reader.usable("permission_request_text"), entry.value.isEmpty || entry.value.count > 1024 {
            reader.bad(entry, expected: "text of 1-1024 characters")
        }
        config.permissionTemplate = buildPermissionTemplate(reader, inherited: nil)
        config.dtlsRole = reader.choice("dtls_role", default: config.dtlsRole)
        config.additionalCodecs = additionalCodecs(reader)
        config.simulatorListen = listenAddress(reader, "simulator_listen", default: config.simulatorListen,
                                               example: "'127.0.0.1:8081'")
        buildSimulatorSIP(reader, into: &config)
        if let entry = reader.usable("simulator_media") {
            if let parsed = SimulatorMedia.parse(entry.value) { config.simulatorMedia = parsed } else {
                reader.bad(entry, expected: "'echo' or 'tone:HZ' with HZ between 50 and 4000, e.g. 'tone:440'")
            }
        }
        return config
    }

    /// Validates `[dialplan]`.
    func buildDialPlan(_ reader: SectionReader) -> DialPlan {
        let defaults = DialPlan()
        let expected = "digits (at most 4), or nothing to disable"
        var international = defaults.internationalPrefix
        if let entry = reader.usable("international_prefix") {
            if entry.value.isEmpty || (TextScanning.isDigits(entry.value) && entry.value.utf8.count <= 4) {
                international = entry.value
            } else { reader.bad(entry, expected: expected) }
        }
        var national = defaults.nationalPrefix
        if let entry = reader.usable("national_prefix") {
            if entry.value.isEmpty || (TextScanning.isDigits(entry.value) && entry.value.utf8.count <= 4) {
                national = entry.value
            } else { reader.bad(entry, expected: expected) }
        }
        if !national.isEmpty, national == international {
            reader.problem(firstSetLine(reader, "national_prefix", "international_prefix"),
                           "national_prefix and international_prefix must differ in [\(reader.name)] (both '\(national)')")
        }
        var countryCode: String?
        if let entry = reader.usable("default_country_code"), !entry.value.isEmpty {
            let digits = entry.value.hasPrefix("+") ? String(entry.value.dropFirst()) : entry.value
            if TextScanning.isDigits(digits), (1...3).contains(digits.utf8.count), !digits.hasPrefix("0") {
                countryCode = digits
            } else {
                reader.bad(entry, expected: "a country code of 1-3 digits, e.g. '44'")
            }
        }
        return DialPlan(internationalPrefix: international, nationalPrefix: national, defaultCountryCode: countryCode)
    }

    /// `+` and 7–15 digits not starting with 0, else nil.
    static func e164(_ text: String) -> String? {
        guard text.hasPrefix("+") else { return nil }
        let digits = text.dropFirst()
        guard TextScanning.isDigits(digits), (7...15).contains(digits.utf8.count), !digits.hasPrefix("0") else { return nil }
        return text
    }

    /// `http(s)://HOST[:PORT][/PATH]` without a trailing slash, else nil.
    static func normalizedHTTPURL(_ text: String) -> String? {
        let lower = TextScanning.asciiLowercased(text)
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }) else { return nil }
        let rest = text.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard !path.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" }) else { return nil }
        let authorityText = String(authority)
        let hostOK = Hostname.isValidHost(authorityText)
            || SocketAddressSpec.parse(authorityText, requireIP: false) != nil
            || (authorityText.hasPrefix("[") && authorityText.hasSuffix("]") && IPAddress(authorityText.dropFirst().dropLast()) != nil)
        guard hostOK else { return nil }
        var result = text
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
