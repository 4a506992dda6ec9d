/// A `Warning` header value (RFC 3261 §20.43) from wagate: code 399
/// (miscellaneous), agent `wagate`, and a text made header-safe, since it may
/// quote a peer's words or a Graph API error: `399 wagate "…"`.
public struct SIPWarning: Sendable, Equatable, CustomStringConvertible {
    /// The warn-agent written in every Warning.
    public static let agent = "wagate"
    /// The longest text sent, in Unicode scalars.
    public static let textLimit = 120
    /// The text as an RFC 3261 quoted-string.
    public let quotedText: String

    /// A warning with `text`, or nil when nothing printable is left of it.
    public init?(_ text: String) {
        guard let quoted = SIPHeaderText.quoted(text, limit: Self.textLimit) else { return nil }
        quotedText = quoted
    }

    /// `399 wagate "…"`, for sofia's Warning tag.
    public var description: String { "399 \(Self.agent) \(quotedText)" }

    /// The whole `Warning: …` header line.
    public var header: String { "Warning: \(self)" }
}
