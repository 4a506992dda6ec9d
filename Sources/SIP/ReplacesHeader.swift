// The Replaces header (RFC 3891 §6.1): which dialog an INVITE replaces. It
// arrives URL-escaped inside a REFER's Refer-To (`?Replaces=…`, RFC 3891 §5)
// and leaves as a header of the INVITE wagate places for an attended transfer.

/// A parsed `Replaces` value: `callid;to-tag=…;from-tag=…[;early-only]`. The
/// tags are as the recipient of the INVITE sees its own dialog: `to-tag` is its
/// local tag and `from-tag` the remote one (RFC 3891 §3).
public struct ReplacesHeader: Sendable, Equatable, CustomStringConvertible {
    /// The longest value accepted: a Call-ID and two tags fit easily in it.
    public static let maximumLength = 512

    /// The dialog's Call-ID.
    public var callID: String
    /// The recipient's local tag.
    public var toTag: String
    /// The recipient's remote tag.
    public var fromTag: String
    /// Replace only an early dialog (`early-only`).
    public var earlyOnly: Bool

    /// Creates a value.
    public init(callID: String, toTag: String, fromTag: String, earlyOnly: Bool = false) {
        self.callID = callID
        self.toTag = toTag
        self.fromTag = fromTag
        self.earlyOnly = earlyOnly
    }

    /// Parses a header value; nil without a Call-ID and both tags, when longer
    /// than ``maximumLength``, or when any part holds a character a header must
    /// not carry (controls, spaces inside tokens, `;`, `,`, `<`, `>`, `"`).
    /// Unknown parameters are ignored (RFC 3891 §6.1 generic-param).
    public init?(_ value: String) {
        guard value.utf8.count <= Self.maximumLength else { return nil }
        let parts = value.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        guard let callID = parts.first, Self.isWord(callID) else { return nil }
        var toTag: String?
        var fromTag: String?
        var earlyOnly = false
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pair[0].trimmingSpaces().lowercased()
            let text = pair.count == 2 ? pair[1].trimmingSpaces() : ""
            switch name {
            case "to-tag": toTag = text
            case "from-tag": fromTag = text
            case "early-only": earlyOnly = true
            default: guard Self.isParameter(parameter) else { return nil }
            }
        }
        guard let toTag, let fromTag, Self.isToken(toTag), Self.isToken(fromTag) else { return nil }
        self.init(callID: callID, toTag: toTag, fromTag: fromTag, earlyOnly: earlyOnly)
    }

    /// The header value, to-tag first as in RFC 3891's examples.
    public var description: String {
        "\(callID);to-tag=\(toTag);from-tag=\(fromTag)" + (earlyOnly ? ";early-only" : "")
    }

    /// The `Replaces: …` header line.
    public var header: String { "Replaces: \(description)" }

    /// RFC 3261 `token` characters.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-.!%*_+`'~".utf8.contains(byte)
        }
    }

    /// RFC 3261 `word` characters (a Call-ID: `word [ "@" word ]`), without
    /// the quote and angle brackets no header value should carry unescaped.
    static func isWord(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            isToken(String(UnicodeScalar(byte))) || "()/:\\[]?{}@".utf8.contains(byte)
        }
    }

    /// A generic parameter with token name and token value.
    private static func isParameter(_ text: String) -> Bool {
        let pair = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        return isToken(pair[0]) && (pair.count == 1 || isToken(pair[1]))
    }
}
