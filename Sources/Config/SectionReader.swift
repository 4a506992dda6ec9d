// Reads typed values out of one section, reporting each bad value with its
// line. Every getter returns a usable value (the default on error), so
// validation carries on and reports every problem in one pass.

/// Typed access to the entries of one section.
struct SectionReader {
    /// The section name, as written between the brackets.
    let name: String
    /// The line of the section header (1 when the section is absent).
    let headerLine: Int
    /// Where problems go.
    let log: ProblemLog
    /// The entries by key: every occurrence of a repeatable key, the first of
    /// any other (later duplicates are reported and dropped).
    private let entriesByKey: [String: [RawEntry]]

    /// Checks `section` against the keys valid for `kind` and indexes it.
    /// Unknown and duplicate keys are reported here.
    init(section: RawSection, kind: SectionKind, log: ProblemLog) {
        self.name = section.name
        self.headerLine = section.line
        self.log = log
        var index: [String: [RawEntry]] = [:]
        for entry in section.entries {
            guard kind.keys.contains(entry.key) else {
                let hint = Suggestion.didYouMean(entry.key, among: kind.keys)
                log.add(line: entry.line, "unknown key '\(TextScanning.excerpt(entry.key))' in [\(section.name)]\(hint)")
                continue
            }
            if let first = index[entry.key]?.first, !kind.repeatableKeys.contains(entry.key) {
                log.add(line: entry.line, "duplicate key '\(entry.key)' in [\(section.name)]; it is already set on line \(first.line)")
                continue
            }
            index[entry.key, default: []].append(entry)
        }
        self.entriesByKey = index
    }

    /// A reader over an absent section: every key takes its default.
    init(absent kind: SectionKind, log: ProblemLog) {
        self.init(section: RawSection(name: kind.rawValue, line: 1, entries: []), kind: kind, log: log)
    }

    /// The entry for `key`, if set.
    func entry(_ key: String) -> RawEntry? { entriesByKey[key]?.first }

    /// Every entry for a repeatable `key`, in file order.
    func entries(_ key: String) -> [RawEntry] { entriesByKey[key] ?? [] }

    /// True when `key` is set.
    func has(_ key: String) -> Bool { entriesByKey[key] != nil }

    /// The usable entry for `key`; nil when absent or when its value could not be expanded.
    func usable(_ key: String) -> RawEntry? {
        guard let entry = entry(key), entry.isUsable else { return nil }
        return entry
    }

    // MARK: - Reporting

    /// Reports `message` at `line`.
    func problem(_ line: Int, _ message: String) {
        log.add(line: line, message)
    }

    /// Reports `bad value 'V' for 'KEY' in [SECTION]: expected EXPECTED`.
    func bad(_ entry: RawEntry, expected: String) {
        bad(entry.key, value: entry.value, line: entry.line, expected: expected)
    }

    /// Reports a bad list item or value of `key` at `line`.
    func bad(_ key: String, value: String, line: Int, expected: String) {
        log.add(line: line, "bad value '\(TextScanning.excerpt(value))' for '\(key)' in [\(name)]: expected \(expected)")
    }

    /// The usable entry for `key`, reporting `missing required key` at the
    /// section header when it is absent (`reason` is appended in parentheses).
    func required(_ key: String, reason: String? = nil) -> RawEntry? {
        guard let entry = entry(key) else {
            let suffix = reason.map { " (\($0))" } ?? ""
            log.add(line: headerLine, "missing required key '\(key)' in [\(name)]\(suffix)")
            return nil
        }
        return entry.isUsable ? entry : nil
    }

    // MARK: - Typed values

    /// The value of `key`, or `fallback` when absent.
    func string(_ key: String, default fallback: String) -> String {
        usable(key)?.value ?? fallback
    }

    /// The value of `key`; nil when absent or empty.
    func optionalString(_ key: String) -> String? {
        guard let value = usable(key)?.value, !value.isEmpty else { return nil }
        return value
    }

    /// An integer within `range`.
    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>, unit: String = "") -> Int {
        guard let entry = usable(key) else { return fallback }
        guard let value = TextScanning.decimal(entry.value), range.contains(value) else {
            let what = unit.isEmpty ? "an integer" : "a whole number of \(unit)"
            bad(entry, expected: "\(what) from \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
        return value
    }

    /// A whole number of seconds within `range`.
    func seconds(_ key: String, default fallback: Int, in range: ClosedRange<Int>) -> Duration {
        .seconds(int(key, default: fallback, in: range, unit: "seconds"))
    }

    /// A whole number of seconds within `range`, where 0 means off (nil).
    func optionalSeconds(_ key: String, default fallback: Int, in range: ClosedRange<Int>) -> Duration? {
        let value = int(key, default: fallback, in: range, unit: "seconds")
        return value == 0 ? nil : .seconds(value)
    }

    /// A whole number of milliseconds within `range`.
    func milliseconds(_ key: String, default fallback: Int, in range: ClosedRange<Int>) -> Duration {
        .milliseconds(int(key, default: fallback, in: range, unit: "milliseconds"))
    }

    /// A boolean: yes/no, true/false, on/off, 1/0 (case-insensitive).
    func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let entry = usable(key) else { return fallback }
        switch TextScanning.asciiLowercased(entry.value) {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default:
            bad(entry, expected: "a boolean (yes/no, true/false, on/off, 1/0)")
            return fallback
        }
    }

    /// One of the raw values of `E` (case-insensitive).
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, default fallback: E) -> E where E.RawValue == String {
        guard let entry = usable(key) else { return fallback }
        if let value = E(rawValue: TextScanning.asciiLowercased(entry.value)) { return value }
        let names = E.allCases.map(\.rawValue)
        bad(entry, expected: "one of \(names.joined(separator: ", "))" + Suggestion.didYouMean(entry.value, among: names))
        return fallback
    }

    /// The comma-separated items of every occurrence of `key`, with their lines.
    func listItems(_ key: String) -> [(item: String, line: Int)] {
        entries(key).filter(\.isUsable).flatMap { entry in
            TextScanning.commaList(entry.value).map { (item: $0, line: entry.line) }
        }
    }

    /// Parses every list item of `key` with `parse`, reporting failures as `expected`.
    func list<T>(_ key: String, expected: String, _ parse: (String) -> T?) -> [T] {
        listItems(key).compactMap { item, line in
            guard let value = parse(item) else {
                bad(key, value: item, line: line, expected: expected)
                return nil
            }
            return value
        }
    }

    /// A path, resolved against `baseDirectory` when relative; nil when absent or empty.
    func path(_ key: String, baseDirectory: String) -> String? {
        optionalString(key).map { TextScanning.resolve($0, against: baseDirectory) }
    }

    /// The line to blame for `key`: its own line when set, else the header.
    func line(of key: String) -> Int { entry(key)?.line ?? headerLine }
}
