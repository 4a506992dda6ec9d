// Host names as DNS writes them (RFC 1123 section 2.1, RFC 3696 section 2).

import NetTypes

/// Syntax checks for host names and hosts (name or IP literal).
enum Hostname {
    /// True for a syntactically valid DNS host name: dot-separated labels of
    /// 1–63 letters, digits and hyphens, not starting or ending with a hyphen,
    /// at most 253 characters, and not all-numeric (so `999.1.1.1` is refused
    /// rather than taken for a name).
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.count),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                  label.allSatisfy({ TextScanning.isAlphanumeric($0, extra: "-") })
            else { return false }
        }
        let allNumeric = labels.allSatisfy { $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        return !allNumeric
    }

    /// True for an IP literal or a valid host name.
    static func isValidHost(_ text: String) -> Bool {
        IPAddress(text) != nil || isValid(text)
    }
}
