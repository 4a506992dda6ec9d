// Validating `permission_template`, `permission_template_language` and the
// repeatable `permission_template_component` of [whatsapp] and of `type = number`
// sections. Meta's rules: template names are lowercase letters, digits and
// underscores; parameters are non-empty text (docs/whatsapp.md#settings-and-permissions).

extension ConfigValidator {
    /// The keys ``buildPermissionTemplate(_:inherited:)`` reads.
    static let permissionTemplateKeys = ["permission_template", "permission_template_language",
                                         "permission_template_component"]

    /// The longest template name Meta accepts.
    static let maxTemplateNameLength = 512
    /// The longest fixed parameter text accepted.
    static let maxTemplateParameterLength = PermissionTemplateConfig.maxParameterLength
    /// The most components and the most parameters per component.
    static let maxTemplateComponents = 4
    /// See ``maxTemplateComponents``.
    static let maxTemplateParameters = 20

    /// The section's permission template: its own when it sets `permission_template`
    /// (`none` turns an inherited one off), else `inherited`. The language and
    /// components need `permission_template` in the same section.
    func buildPermissionTemplate(_ reader: SectionReader, inherited: PermissionTemplateConfig?)
        -> PermissionTemplateConfig? {
        guard let nameEntry = reader.entry("permission_template") else {
            for key in Self.permissionTemplateKeys.dropFirst() {
                if let entry = reader.entry(key) {
                    reader.problem(entry.line, "\(key) needs permission_template in the same section [\(reader.name)]")
                }
            }
            return inherited
        }
        guard nameEntry.isUsable else { return inherited }
        if nameEntry.value == "none" {
            if let entry = reader.entry("permission_template_component") ?? reader.entry("permission_template_language") {
                reader.problem(entry.line, "\(entry.key) has no effect with permission_template = none in [\(reader.name)]")
            }
            return nil
        }
        var template = PermissionTemplateConfig(name: nameEntry.value)
        if !Self.isTemplateName(nameEntry.value) {
            reader.bad(nameEntry, expected: "an approved template's name: lowercase letters, digits and underscores "
                + "(at most \(Self.maxTemplateNameLength)), or 'none'")
        }
        if let entry = reader.usable("permission_template_language") {
            if Self.isLanguageCode(entry.value) { template.language = entry.value } else {
                reader.bad(entry, expected: "a template language code such as en_US, en, pt_BR or zh_HK")
            }
        }
        let entries = reader.entries("permission_template_component").filter(\.isUsable)
        if entries.count > Self.maxTemplateComponents {
            reader.problem(entries[Self.maxTemplateComponents].line,
                           "at most \(Self.maxTemplateComponents) permission_template_component lines in [\(reader.name)]")
        }
        for entry in entries.prefix(Self.maxTemplateComponents) {
            if let component = templateComponent(entry, reader: reader) { template.components.append(component) }
        }
        return template
    }

    /// `TYPE: PARAM, PARAM, …` with TYPE `body` or `header` and each PARAM fixed
    /// text, `{business_number}`, `{dialled}` or `{caller}`, optionally `NAME=` first.
    private func templateComponent(_ entry: RawEntry, reader: SectionReader) -> PermissionTemplateConfig.Component? {
        let syntax = "TYPE: PARAM, PARAM… with TYPE body or header and each PARAM fixed text or one of "
            + PermissionTemplateConfig.Substitution.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
            + ", optionally as NAME=PARAM; e.g. 'body: {caller}, Acme Support'"
        guard let colon = entry.value.firstIndex(of: ":") else {
            reader.bad(entry, expected: syntax)
            return nil
        }
        let type = TextScanning.asciiLowercased(TextScanning.trimmed(entry.value[..<colon]))
        guard type == "body" || type == "header" else {
            reader.bad(entry, expected: syntax)
            return nil
        }
        let items = entry.value[entry.value.index(after: colon)...]
            .split(separator: ",", omittingEmptySubsequences: false).map { TextScanning.trimmed($0) }
        guard !items.isEmpty, items.count <= Self.maxTemplateParameters else {
            reader.bad(entry, expected: "1 to \(Self.maxTemplateParameters) parameters: " + syntax)
            return nil
        }
        var parameters: [PermissionTemplateConfig.Parameter] = []
        for item in items {
            guard let parameter = Self.templateParameter(item) else {
                reader.problem(entry.line, "permission_template_component parameter '\(TextScanning.excerpt(item))' in "
                    + "[\(reader.name)] is not valid: expected non-empty text of at most "
                    + "\(Self.maxTemplateParameterLength) characters without braces, or " + syntax)
                return nil
            }
            parameters.append(parameter)
        }
        if Set(parameters.map { $0.name == nil }).count > 1 {
            reader.problem(entry.line, "permission_template_component in [\(reader.name)] mixes named (NAME=…) and "
                + "positional parameters; a template uses one or the other")
            return nil
        }
        return PermissionTemplateConfig.Component(type: type, parameters: parameters)
    }

    /// One parameter: `[NAME=]{substitution}` or `[NAME=]text`.
    static func templateParameter(_ item: String) -> PermissionTemplateConfig.Parameter? {
        var name: String?
        var text = item
        if let equals = item.firstIndex(of: "="), !item.hasPrefix("{") {
            let candidate = TextScanning.trimmed(item[..<equals])
            guard isVariableName(candidate) else { return nil }
            name = candidate
            text = TextScanning.trimmed(item[item.index(after: equals)...])
        }
        if text.hasPrefix("{") {
            guard text.hasSuffix("}"),
                  let substitution = PermissionTemplateConfig.Substitution(rawValue: String(text.dropFirst().dropLast()))
            else { return nil }
            return .init(name: name, value: .substitution(substitution))
        }
        guard !text.isEmpty, text.count <= maxTemplateParameterLength,
              !text.contains(where: { $0 == "{" || $0 == "}" || $0.isNewline || $0 == "\t" }) else { return nil }
        return .init(name: name, value: .text(text))
    }

    /// Meta's template names: lowercase ASCII letters, digits, underscores.
    static func isTemplateName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maxTemplateNameLength
            && TextScanning.consists(of: text) { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// A named parameter's name: lowercase letter or underscore first, then letters, digits, underscores.
    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.utf8.first, (first >= 0x61 && first <= 0x7A) || first == 0x5F, text.utf8.count <= 64
        else { return false }
        return isTemplateName(text)
    }

    /// `ll`, `lll`, `ll_CC` or `ll_Xxxx` (Meta's template language codes: en, en_US, zh_HK, sr_Latn …).
    static func isLanguageCode(_ text: String) -> Bool {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts[0].utf8.count), parts[0].utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }),
              parts.count <= 2 else { return false }
        guard parts.count == 2 else { return true }
        let region = parts[1]
        return (region.utf8.count == 2 && region.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A })
            || (region.utf8.count == 4 && TextScanning.consists(of: region) { TextScanning.isAlphanumeric($0) })
    }
}
