// A WhatsApp user's username, as Meta's webhooks carry it. Meta gives users the
// format rules of business usernames: English letters, digits, periods and
// underscores, 3–35 characters, at least one letter, compared ignoring case.

/// A WhatsApp username in Meta's format. A leading `@` (how apps show it) is
/// dropped; anything outside the format is not a username, so a value from
/// outside never reaches a SIP header unchecked.
public struct WhatsAppUsername: Sendable, Hashable, CustomStringConvertible {
    /// The username as Meta wrote it (without `@`).
    public let rawValue: String

    /// The longest username Meta allows.
    public static let maximumLength = 35

    /// Parses `text`; nil unless it has the format above.
    public init?(_ text: some StringProtocol) {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "@") { bytes = bytes.dropFirst() }
        guard (3...Self.maximumLength).contains(bytes.count),
              bytes.allSatisfy(Self.isAllowed),
              bytes.contains(where: Self.isLetter),
              bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: "."),
              !zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == $0 }) else { return nil }
        rawValue = String(decoding: bytes, as: UTF8.self)
    }

    /// The username lower-cased: Meta compares usernames ignoring case.
    public var comparisonKey: String { rawValue.lowercased() }

    /// The username.
    public var description: String { rawValue }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}
