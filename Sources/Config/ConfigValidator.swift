// Turns parsed sections into a GatewayConfig, collecting every problem.
// The section builders live in ConfigValidator+Section.swift files; this file
// sorts sections by kind and resolves references between them.

/// Validates parsed sections into a ``GatewayConfig``.
struct ConfigValidator {
    /// The file name used in problems.
    let file: String
    /// The directory relative paths are resolved against.
    let baseDirectory: String
    /// Where problems go.
    let log: ProblemLog

    /// Sections sorted by kind: the reserved ones by name, entities in file order.
    struct Classified {
        /// Reserved sections present in the file.
        var reserved: [SectionKind: RawSection] = [:]
        /// `type = …` sections with a known type, in file order.
        var entities: [(kind: SectionKind, section: RawSection)] = []
        /// Entity names and their kinds: users, trunks and ring groups share one namespace.
        var names: [String: SectionKind] = [:]
    }

    /// The validated configuration; read `log` for problems (the result is
    /// meaningful only when there are none).
    func validate(_ sections: [RawSection]) -> GatewayConfig {
        let classified = classify(sections)
        let numberReaders = classified.entities.filter { $0.kind == .number }
            .map { SectionReader(section: $0.section, kind: .number, log: log) }
        let whatsappReader = reader(.whatsapp, classified)
        var whatsapp = buildWhatsApp(whatsappReader, hasNumberSections: !numberReaders.isEmpty)
        let generalReader = reader(.general, classified)
        var general = buildGeneral(generalReader)
        let numbers = buildNumbers(numberReaders, whatsapp: whatsapp, whatsappReader: whatsappReader,
                                   names: classified.names,
                                   hasTLSListener: general.listeners.contains { $0.transport == .tls })
        checkMetaSIPClientVerification(general, numbers: numbers, generalReader: generalReader)
        general.tlsVerification = sipModeTLSVerification(generalReader, general: general, numbers: numbers,
                                                         mode: whatsapp.mode)
        if let first = numbers.first {
            // The single-number keys name the default number everywhere one is not chosen.
            whatsapp.phoneNumberID = first.phoneNumberID
            whatsapp.businessNumber = first.businessNumber
        }
        var config = GatewayConfig(
            general: general,
            http: buildHTTP(reader(.http, classified)),
            whatsapp: whatsapp,
            media: buildMedia(reader(.media, classified)),
            storage: buildStorage(reader(.storage, classified)),
            dialplan: buildDialPlan(reader(.dialplan, classified)),
            sourceFile: file)
        for (kind, section) in classified.entities {
            let entries = SectionReader(section: section, kind: kind, log: log)
            switch kind {
            case .user:
                var user = buildUser(entries, names: classified.names)
                user.metaCapture = buildMetaCapture(entries, base: whatsapp.metaCapture)
                config.users.append(user)
            case .trunk:
                config.trunks.append(buildTrunk(entries, businessNumber: whatsapp.businessNumber, names: classified.names))
            case .ringgroup: config.ringGroups.append(buildRingGroup(entries, names: classified.names))
            default: break
            }
        }
        config.inbound = buildInbound(
            reader(.inbound, classified), names: classified.names,
            sandboxDefault: whatsapp.mode == .sandbox ? config.users.first.map { .user($0.name) } : nil)
        config.onboarding = classified.reserved[.onboarding].flatMap {
            buildOnboarding(SectionReader(section: $0, kind: .onboarding, log: log), whatsapp: whatsapp,
                            names: classified.names)
        }
        config.admin = classified.reserved[.admin].flatMap {
            buildAdmin(SectionReader(section: $0, kind: .admin, log: log))
        }
        config.webphone = buildWebPhone(reader(.webphone, classified), anyWebRTCUser: config.users.contains(where: \.webrtc),
                                        webhookPath: config.http.webhookPath)
        config.transfer = buildTransfer(reader(.transfer, classified), names: classified.names)
        config.cluster = classified.reserved[.cluster].flatMap {
            buildCluster(SectionReader(section: $0, kind: .cluster, log: log), storage: config.storage)
        }
        config.numbers = numbers.map { number in
            var number = number
            number.inbound?.ringTimeout = config.inbound.ringTimeout
            return number
        }
        return config
    }

    /// A reader over the reserved section `kind`, or over an empty one when absent.
    private func reader(_ kind: SectionKind, _ classified: Classified) -> SectionReader {
        guard let section = classified.reserved[kind] else { return SectionReader(absent: kind, log: log) }
        return SectionReader(section: section, kind: kind, log: log)
    }

    /// Sorts sections by kind, reporting duplicates, missing and unknown types.
    private func classify(_ sections: [RawSection]) -> Classified {
        var classified = Classified()
        var firstLine: [String: Int] = [:]
        for section in sections {
            if let line = firstLine[section.name] {
                log.add(line: section.line, "duplicate section [\(section.name)]; it is already defined on line \(line)")
                continue
            }
            firstLine[section.name] = section.line
            if let kind = SectionKind(rawValue: section.name), kind.isEntity == false {
                classified.reserved[kind] = section
            } else if let kind = entityKind(of: section) {
                classified.entities.append((kind, section))
                classified.names[section.name] = kind
            }
        }
        return classified
    }

    /// The entity kind named by the section's `type` key, or nil after reporting why not.
    private func entityKind(of section: RawSection) -> SectionKind? {
        let types = SectionKind.entityTypes.map(\.rawValue)
        guard let typeEntry = section.entries.first(where: { $0.key == "type" }) else {
            let reserved = SectionKind.reserved.map(\.rawValue)
            let hint = Suggestion.didYouMean(section.name, among: reserved) { "[\($0)]" }
            let advice = hint.isEmpty ? "; add 'type = user', 'type = trunk', 'type = ringgroup' or 'type = number'" : hint
            log.add(line: section.line, "section [\(section.name)] has no 'type' and is not a reserved section\(advice)")
            return nil
        }
        guard typeEntry.isUsable else { return nil }
        let value = TextScanning.asciiLowercased(typeEntry.value)
        guard let kind = SectionKind(rawValue: value), kind.isEntity else {
            let hint = Suggestion.didYouMean(value, among: types)
            let expected = "expected one of \(types.joined(separator: ", "))\(hint)"
            log.add(line: typeEntry.line, "unknown section type '\(TextScanning.excerpt(typeEntry.value))' in [\(section.name)]: \(expected)")
            return nil
        }
        return kind
    }

    /// Reports unless `name` is an entity of kind `expected`. `context` says
    /// where the reference is, for example `'members' of [sales]`.
    func checkReference(_ name: String, expected: SectionKind, names: [String: SectionKind], line: Int, context: String) {
        guard let actual = names[name] else {
            let candidates = names.filter { $0.value == expected }.map(\.key).sorted()
            let hint = Suggestion.didYouMean(name, among: candidates)
            log.add(line: line, "unknown \(expected.noun) '\(TextScanning.excerpt(name))' in \(context)\(hint)")
            return
        }
        if actual != expected {
            log.add(line: line, "'\(name)' in \(context) is a \(actual.noun), not a \(expected.noun)")
        }
    }

    /// Reports unless the file at `path` (set by `entry`) is readable.
    func checkReadable(_ path: String, entry: RawEntry) {
        if let problem = FileAccess.readabilityProblem(path) {
            log.add(line: entry.line, "cannot read \(entry.key) '\(path)': \(problem.reason)")
        }
    }

    /// The line of the first of `keys` that is set in `reader`, else its header.
    func firstSetLine(_ reader: SectionReader, _ keys: String...) -> Int {
        keys.lazy.compactMap { reader.entry($0)?.line }.first ?? reader.headerLine
    }

    /// A non-empty secret value of `key`, without ever printing it; nil when absent.
    func secret(_ reader: SectionReader, _ key: String) -> Secret? {
        guard let entry = reader.usable(key) else { return nil }
        guard !entry.value.isEmpty else {
            reader.problem(entry.line, "empty value for '\(key)' in [\(reader.name)]: expected a non-empty secret")
            return nil
        }
        return Secret(entry.value)
    }
}
