/// Turns text from outside SIP (a WhatsApp profile name, a WhatsApp number or
/// user name) into values that are always valid inside a SIP header, so that a
/// hostile or odd name can never break the INVITE that rings a phone.
public enum SIPHeaderText {
    /// The longest display name sent, in Unicode scalars (at most 256 bytes of
    /// UTF-8). Longer names are cut on a scalar boundary; desk phones show far less.
    public static let displayNameLimit = 64

    /// The longest URI user part sent, in bytes after escaping: room for a
    /// WhatsApp parent BSUID (up to 135 unreserved characters), which must reach
    /// the phone whole so that the phone can dial it back.
    public static let userPartLimit = 140

    /// `text` as an RFC 3261 quoted-string (§25.1), quotes included, or nil when
    /// nothing printable is left. Control and format characters (CR, LF, NUL,
    /// TAB, DEL, bidi overrides) are removed or, for white space, folded into
    /// one space; `"` and `\` are escaped; the length is capped at
    /// `displayNameLimit` scalars.
    public static func quotedDisplayName(_ text: String) -> String? {
        quoted(text, limit: displayNameLimit)
    }

    /// `text` as an RFC 3261 quoted-string of at most `limit` scalars (before
    /// escaping), cleaned like a display name; for Warning and Reason texts
    /// that may carry words from WhatsApp's Graph API errors.
    public static func quoted(_ text: String, limit: Int) -> String? {
        let kept = cleaned(text, limit: limit)
        guard !kept.isEmpty else { return nil }
        var out = "\""
        for scalar in kept {
            if scalar == "\"" || scalar == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    /// `text` as a SIP URI user part: letters, digits, `+` and RFC 3261's
    /// other unreserved marks kept, every other byte %-escaped (also `;`, `?`
    /// and `@`, which phones read as URI structure), capped at `userPartLimit`
    /// bytes (never inside an escape). Empty input gives `anonymous`.
    public static func userPart(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let piece = isUserCharacter(byte)
                ? String(UnicodeScalar(byte)) : "%" + hex(byte >> 4) + hex(byte & 0x0F)
            if out.utf8.count + piece.utf8.count > userPartLimit { break }
            out += piece
        }
        return out.isEmpty ? "anonymous" : out
    }

    /// The printable scalars of `text`, at most `limit`: control and format
    /// characters removed, runs of white space folded into one space, none at
    /// either end.
    static func cleaned(_ text: String, limit: Int) -> [Unicode.Scalar] {
        var kept: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if kept.count >= limit { break }
            if scalar.properties.isWhitespace {
                pendingSpace = !kept.isEmpty
                continue
            }
            if isControlOrFormat(scalar) { continue }
            if pendingSpace, kept.count < limit - 1 { kept.append(" ") }
            pendingSpace = false
            kept.append(scalar)
        }
        return kept
    }

    private static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }

    private static func isUserCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-_.!~*'()+".utf8.contains(byte)
        }
    }

    private static func hex(_ nibble: UInt8) -> String {
        String("0123456789ABCDEF"[String.Index(utf16Offset: Int(nibble), in: "0123456789ABCDEF")])
    }
}
