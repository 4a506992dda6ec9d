// Building `type = number` sections, the implicit number of a single-number
// [whatsapp] section, and the `numbers` lists of users and trunks.

extension ConfigValidator {
    /// The business numbers: the `type = number` sections in file order or, when
    /// there are none, one implicit number (`default`) from `[whatsapp]`'s
    /// `phone_number_id`, `business_number`, `access_token`, `waba_id`, its
    /// calling settings, `additional_codecs` and signalling keys. Duplicate ids,
    /// numbers and dial prefixes are reported at the later section.
    /// `hasTLSListener`: `[general] listen` has a `tls:` listener (SIP mode needs one).
    func buildNumbers(_ readers: [SectionReader], whatsapp: WhatsAppConfig, whatsappReader: SectionReader,
                      names: [String: SectionKind], hasTLSListener: Bool) -> [NumberConfig] {
        guard !readers.isEmpty else {
            var number = NumberConfig(name: NumberConfig.implicitName, phoneNumberID: whatsapp.phoneNumberID,
                                      businessNumber: whatsapp.businessNumber, wabaID: whatsapp.wabaID,
                                      accessToken: whatsapp.accessToken, additionalCodecs: whatsapp.additionalCodecs,
                                      calling: whatsapp.calling, metaCapture: whatsapp.metaCapture,
                                      permissionTemplate: whatsapp.permissionTemplate)
            (number.signaling, number.metaSIP) = buildSignaling(whatsappReader, businessNumber: number.businessNumber,
                                                                hasTLSListener: hasTLSListener)
            return [number]
        }
        refuseSharedSignaling(whatsappReader)
        for key in ["phone_number_id", "business_number"] {
            if let entry = whatsappReader.entry(key) {
                whatsappReader.problem(entry.line, "'\(key)' in [whatsapp] cannot be combined with type = number "
                    + "sections; move it into a type = number section")
            }
        }
        var numbers: [NumberConfig] = []
        var seen = NumberUniqueness()
        for reader in readers {
            var number = buildNumber(reader, whatsapp: whatsapp, hasSharedToken: whatsappReader.has("access_token"),
                                     names: names)
            (number.signaling, number.metaSIP) = buildSignaling(reader, businessNumber: number.businessNumber,
                                                                hasTLSListener: hasTLSListener)
            seen.check(number, reader: reader)
            numbers.append(number)
        }
        return numbers
    }

    /// Validates one `type = number` section; `waba_id`, `access_token`,
    /// `additional_codecs` and each calling key it does not set come from `[whatsapp]`.
    private func buildNumber(_ reader: SectionReader, whatsapp: WhatsAppConfig, hasSharedToken: Bool,
                             names: [String: SectionKind]) -> NumberConfig {
        if reader.name == NumberConfig.unlabelledName {
            reader.problem(reader.headerLine, "a number cannot be named '\(reader.name)': /metrics counts calls on "
                + "numbers it does not serve under that label")
        }
        var number = NumberConfig(name: reader.name, phoneNumberID: "", businessNumber: "", wabaID: whatsapp.wabaID,
                                  accessToken: whatsapp.accessToken, additionalCodecs: whatsapp.additionalCodecs,
                                  calling: buildCallingSettings(reader).inheriting(from: whatsapp.calling))
        number.metaCapture = buildMetaCapture(reader, base: whatsapp.metaCapture).inheriting(from: whatsapp.metaCapture)
        if let entry = reader.required("phone_number_id"), let id = graphID(entry, reader: reader) {
            number.phoneNumberID = id
        }
        if let entry = reader.required("business_number"), let e164 = businessNumber(entry, reader: reader) {
            number.businessNumber = e164
        }
        if let entry = reader.usable("waba_id") {
            number.wabaID = graphID(entry, reader: reader, what: "the numeric WhatsApp Business Account id")
        }
        if whatsapp.mode == .cloud, !hasSharedToken, !reader.has("access_token") {
            _ = reader.required("access_token", reason: "required when mode = cloud and [whatsapp] has no access_token")
        }
        number.accessToken = secret(reader, "access_token") ?? number.accessToken
        number.inbound = numberInbound(reader, names: names)
        number.maxCalls = reader.int("max_calls", default: NumberConfig.metaMaxCalls, in: 1...100_000)
        if let entry = reader.usable("call_rate") {
            if let rate = CallRate(entry.value) { number.callRate = rate } else {
                reader.bad(entry, expected: "connects per second or minute from 1 to 100000, e.g. '5/s' or '60/min'")
            }
        }
        if reader.has("additional_codecs") { number.additionalCodecs = additionalCodecs(reader) }
        number.dialPrefix = dialPrefix(reader, "dial_prefix")
        number.permissionTemplate = buildPermissionTemplate(reader, inherited: whatsapp.permissionTemplate)
        return number
    }

    /// The number's own inbound plan, or nil when it sets neither `inbound_target` nor `route`.
    private func numberInbound(_ reader: SectionReader, names: [String: SectionKind]) -> InboundConfig? {
        guard reader.has("inbound_target") || reader.has("route") else { return nil }
        var inbound = InboundConfig.defaults
        if let entry = reader.usable("inbound_target"), !entry.value.isEmpty {
            inbound.target = inboundTarget(entry.value, reader: reader, key: "inbound_target", line: entry.line,
                                           names: names)
        }
        inbound.routes = inboundRoutes(reader, names: names)
        return inbound
    }

    /// The `numbers` list of a user or trunk: names of `type = number` sections, each once.
    func numberNames(_ reader: SectionReader, names: [String: SectionKind]) -> [String] {
        var result: [String] = []
        for (name, line) in reader.listItems("numbers") {
            if result.contains(name) {
                reader.problem(line, "number '\(TextScanning.excerpt(name))' is listed twice in 'numbers' of [\(reader.name)]")
                continue
            }
            checkReference(name, expected: .number, names: names, line: line, context: "'numbers' of [\(reader.name)]")
            result.append(name)
        }
        return result
    }

    /// A Graph object id (digits, at most 32), else nil after reporting `what` was expected.
    func graphID(_ entry: RawEntry, reader: SectionReader,
                 what: String = "the numeric phone number id from the WhatsApp Manager") -> String? {
        guard TextScanning.isDigits(entry.value), entry.value.utf8.count <= 32 else {
            reader.bad(entry, expected: what)
            return nil
        }
        return entry.value
    }

    /// A `+E164` business number, else nil after reporting.
    func businessNumber(_ entry: RawEntry, reader: SectionReader) -> String? {
        guard let e164 = Self.e164(entry.value) else {
            reader.bad(entry, expected: "an E.164 number with '+' and 7-15 digits, e.g. '+15551234567'")
            return nil
        }
        return e164
    }

    /// `additional_codecs`: `pcmu` and `pcma` only (Meta's additional codecs are G.711).
    func additionalCodecs(_ reader: SectionReader) -> [Codec] {
        var codecs: [Codec] = []
        for (item, line) in reader.listItems("additional_codecs") {
            guard let codec = Codec(name: item), codec == .pcmu || codec == .pcma else {
                reader.bad("additional_codecs", value: item, line: line,
                           expected: "pcmu or pcma (Meta's additional_codecs are G.711 only; Opus is always on)")
                continue
            }
            if !codecs.contains(codec) { codecs.append(codec) }
        }
        return codecs
    }
}

/// Reports a number whose id, business number or dial prefix another number already has.
private struct NumberUniqueness {
    var ids: [String: String] = [:]
    var businessNumbers: [String: String] = [:]
    var prefixes: [(prefix: String, name: String)] = []

    mutating func check(_ number: NumberConfig, reader: SectionReader) {
        if !number.phoneNumberID.isEmpty {
            if let other = ids[number.phoneNumberID] {
                reader.problem(reader.line(of: "phone_number_id"),
                               "phone_number_id \(number.phoneNumberID) of [\(number.name)] is already used by [\(other)]")
            } else { ids[number.phoneNumberID] = number.name }
        }
        if !number.businessNumber.isEmpty {
            if let other = businessNumbers[number.businessNumber] {
                reader.problem(reader.line(of: "business_number"),
                               "business_number \(number.businessNumber) of [\(number.name)] is already used by [\(other)]")
            } else { businessNumbers[number.businessNumber] = number.name }
        }
        guard !number.dialPrefix.isEmpty else { return }
        if let other = prefixes.first(where: { $0.prefix.hasPrefix(number.dialPrefix) || number.dialPrefix.hasPrefix($0.prefix) }) {
            reader.problem(reader.line(of: "dial_prefix"), "dial_prefix '\(number.dialPrefix)' of [\(number.name)] "
                + "overlaps dial_prefix '\(other.prefix)' of [\(other.name)]: one must not start with the other")
        } else { prefixes.append((number.dialPrefix, number.name)) }
    }
}
