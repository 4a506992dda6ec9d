extension SIPHeaderText {
    /// The longest reason phrase sent, in Unicode scalars. RFC 3261 sets no
    /// limit; phones show a line at most, and Asterisk and Kamailio keep theirs
    /// to a few words.
    public static let reasonPhraseLimit = 64

    /// `text` as an RFC 3261 Reason-Phrase (§25.1): printable text with single
    /// spaces, cleaned like a display name (no CR, LF or other control
    /// characters, so a phrase can never start a header of its own) and capped
    /// at `reasonPhraseLimit` scalars; nil when nothing printable is left.
    public static func reasonPhrase(_ text: String) -> String? {
        let kept = cleaned(text, limit: reasonPhraseLimit)
        guard !kept.isEmpty else { return nil }
        var out = ""
        out.unicodeScalars.append(contentsOf: kept)
        return out
    }
}
