// The sip.conf syntax, as Asterisk users know it:
//
//   [section]            ; a section header
//   key = value          ; or key => value
//   secret = "a\;b "     ; `;` starts a comment, `\;` is a literal semicolon,
//                        ; double quotes keep leading/trailing spaces
//   token = ${WA_TOKEN}  ; expanded from the environment, `$$` is a literal `$`
//
// The parser only splits lines into sections and entries; it knows no keys.

/// One `key = value` line after comment removal, unquoting and expansion.
struct RawEntry {
    /// The key, lowercased.
    let key: String
    /// The value, ready to interpret.
    let value: String
    /// The 1-based line number.
    let line: Int
    /// False when expansion failed: the problem is already reported, and
    /// readers treat the entry as present but skip checking it.
    let isUsable: Bool
}

/// One `[name]` section and its entries, in file order.
struct RawSection {
    /// The name between the brackets, trimmed.
    let name: String
    /// The 1-based line of the header.
    let line: Int
    /// The entries, in file order.
    var entries: [RawEntry]
}

/// Splits configuration text into sections, reporting syntax problems.
struct INIParser {
    /// The environment `${VAR}` expands from.
    let environment: [String: String]
    /// Where problems go.
    let log: ProblemLog

    /// The sections of `text`, in file order. Lines that cannot be understood
    /// are reported and skipped; parsing always continues.
    func parse(_ text: String) -> [RawSection] {
        var sections: [RawSection] = []
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let content = TextScanning.trimmed(Self.stripComment(rawLine))
            if content.isEmpty { continue }
            if content.hasPrefix("[") {
                if let name = sectionName(content, line: lineNumber) {
                    sections.append(RawSection(name: name, line: lineNumber, entries: []))
                }
            } else if content.hasPrefix("#") {
                let word = content.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "#"
                log.add(line: lineNumber, "directive '\(TextScanning.excerpt(word))' is not supported; comments start with ';'")
            } else if let entry = entry(content, line: lineNumber) {
                if sections.isEmpty {
                    let key = TextScanning.excerpt(entry.key)
                    log.add(line: lineNumber, "key '\(key)' is outside any section; add a [section] header above it")
                } else {
                    sections[sections.count - 1].entries.append(entry)
                }
            }
        }
        return sections
    }

    /// `line` up to the first unescaped `;`, with `\;` turned into `;`.
    static func stripComment(_ line: Substring) -> String {
        var result = ""
        var iterator = line.makeIterator()
        var pendingBackslash = false
        while let character = iterator.next() {
            if pendingBackslash {
                pendingBackslash = false
                if character == ";" { result.append(";"); continue }
                result.append("\\")
            }
            if character == "\\" { pendingBackslash = true; continue }
            if character == ";" { return result }
            result.append(character)
        }
        if pendingBackslash { result.append("\\") }
        return result
    }

    /// The name in a `[name]` header, or nil after reporting a malformed one.
    private func sectionName(_ content: String, line: Int) -> String? {
        guard let close = content.firstIndex(of: "]") else {
            log.add(line: line, "section header '\(TextScanning.excerpt(content))' has no closing ']'")
            return nil
        }
        let name = TextScanning.trimmed(content[content.index(after: content.startIndex)..<close])
        let rest = TextScanning.trimmed(content[content.index(after: close)...])
        guard rest.isEmpty else {
            let header = "[\(TextScanning.excerpt(name))]"
            log.add(line: line, "unexpected text '\(TextScanning.excerpt(rest))' after section header \(header) (templates are not supported)")
            return nil
        }
        guard !name.isEmpty else {
            log.add(line: line, "empty section name '[]'")
            return nil
        }
        guard name.utf8.allSatisfy({ TextScanning.isAlphanumeric($0, extra: "_-.+") }) else {
            log.add(line: line, "bad section name [\(TextScanning.excerpt(name))]: use letters, digits and _ - . + only")
            return nil
        }
        return name
    }

    /// The entry on a `key = value` or `key => value` line, or nil after reporting.
    private func entry(_ content: String, line: Int) -> RawEntry? {
        guard let equals = content.firstIndex(of: "=") else {
            log.add(line: line, "expected 'key = value' or '[section]', found '\(TextScanning.excerpt(content))'")
            return nil
        }
        let key = TextScanning.asciiLowercased(TextScanning.trimmed(content[..<equals]))
        var rawValue = content[content.index(after: equals)...]
        if rawValue.hasPrefix(">") { rawValue = rawValue.dropFirst() }
        guard !key.isEmpty else {
            log.add(line: line, "missing key before '=' in '\(TextScanning.excerpt(content))'")
            return nil
        }
        guard key.utf8.allSatisfy({ TextScanning.isAlphanumeric($0, extra: "_-") }) else {
            log.add(line: line, "bad key '\(TextScanning.excerpt(key))': use letters, digits, _ and - only")
            return nil
        }
        var value = TextScanning.trimmed(rawValue)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        var expander = EnvironmentExpander(environment: environment)
        let expanded = expander.expand(value)
        for message in expander.problems {
            log.add(line: line, "\(message) in '\(key)'")
        }
        return RawEntry(key: key, value: expanded, line: line, isUsable: expander.problems.isEmpty)
    }
}

/// Expands `${NAME}` from an environment dictionary; `$$` is a literal `$`.
struct EnvironmentExpander {
    /// The variables available.
    let environment: [String: String]
    /// Problems found by the last `expand` calls, without location.
    private(set) var problems: [String] = []

    /// Creates an expander over `environment`.
    init(environment: [String: String]) {
        self.environment = environment
    }

    /// `text` with every `${NAME}` replaced and `$$` collapsed. A lone `$`
    /// stays. Expanded text is not scanned again.
    mutating func expand(_ text: String) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                result.append("$")
                rest = after.dropFirst()
            } else if after.hasPrefix("{") {
                guard let close = after.firstIndex(of: "}") else {
                    problems.append("unterminated '${'")
                    return result + rest
                }
                let name = String(after[after.index(after: after.startIndex)..<close])
                if let first = name.utf8.first, !(first >= 0x30 && first <= 0x39),
                   name.utf8.allSatisfy({ TextScanning.isAlphanumeric($0, extra: "_") }) {
                    if let value = environment[name] {
                        result += value
                    } else {
                        problems.append("undefined environment variable '\(name)'")
                    }
                } else {
                    problems.append("bad environment variable name '${\(TextScanning.excerpt(name))}'")
                }
                rest = after[after.index(after: close)...]
            } else {
                result.append("$")
                rest = after
            }
        }
        return result + rest
    }
}
