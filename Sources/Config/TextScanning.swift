// Small, allocation-light text helpers shared by the parsers. Everything here
// works on ASCII rules on purpose: configuration syntax is ASCII, and a stray
// non-ASCII character must fail a check, never be "almost" accepted.

/// Text helpers used by the configuration parsers.
enum TextScanning {
    /// `text` without leading and trailing whitespace.
    static func trimmed(_ text: some StringProtocol) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// True when `text` is non-empty and only ASCII digits.
    static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The value of a plain decimal number (ASCII digits only: no sign, no
    /// spaces, no underscores), or nil when it is not one or is too long to be
    /// a sensible configuration value.
    static func decimal(_ text: some StringProtocol) -> Int? {
        guard isDigits(text), text.utf8.count <= 12 else { return nil }
        var value = 0
        for byte in text.utf8 { value = value * 10 + Int(byte - 0x30) }
        return value
    }

    /// The items of a comma-separated list, trimmed, empty items dropped.
    static func commaList(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false)
            .map { trimmed($0) }
            .filter { !$0.isEmpty }
    }

    /// Whitespace-separated words of `text`.
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    /// `text` lowercased by ASCII rules only.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// True when every character of `text` is in `allowed` (ASCII bytes).
    static func consists(of text: String, allowed: (UInt8) -> Bool) -> Bool {
        text.utf8.allSatisfy(allowed)
    }

    /// ASCII letter, digit, or one of `extra`.
    static func isAlphanumeric(_ byte: UInt8, extra: String = "") -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || extra.utf8.contains(byte)
    }

    /// A shortened, single-line rendering of `text` for messages.
    static func excerpt(_ text: String, limit: Int = 40) -> String {
        let flat = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    /// Joins `path` to `base` unless it is absolute (or `base` is `.`).
    static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") || base.isEmpty || base == "." { return path }
        var directory = Substring(base)
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        return directory == "/" ? "/" + path : directory + "/" + path
    }

    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = path[..<slash]
        return head.isEmpty ? "/" : String(head)
    }
}

/// "Did you mean …?" suggestions by edit distance.
enum Suggestion {
    /// The candidate closest to `word` within an edit distance of 2 (ties go
    /// to the earlier candidate), or nil when nothing is close enough.
    static func closest(to word: String, among candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        let limit = word.count <= 3 ? 1 : 2
        for candidate in candidates {
            let distance = levenshtein(word, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// `"; did you mean 'X'?"` for the closest candidate, or an empty string.
    static func didYouMean(_ word: String, among candidates: [String], quote: (String) -> String = { "'\($0)'" }) -> String {
        guard let match = closest(to: word, among: candidates) else { return "" }
        return "; did you mean \(quote(match))?"
    }

    /// The Levenshtein distance between `a` and `b`, by Unicode scalars,
    /// case-insensitively.
    static func levenshtein(_ a: String, _ b: String) -> Int {
        let left = Array(TextScanning.asciiLowercased(a).unicodeScalars)
        let right = Array(TextScanning.asciiLowercased(b).unicodeScalars)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let cost = left[i - 1] == right[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
