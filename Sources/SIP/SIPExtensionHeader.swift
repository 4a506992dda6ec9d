/// An extension header line such as `X-WA-BSUID: US.13491208655302741918`,
/// checked so that text from outside SIP can never break the message: the name
/// must be an RFC 3261 token (§25.1), the value is cut to printable ASCII (no
/// CR, LF or other control characters; runs of spaces folded) of at most
/// ``valueLimit`` bytes. A name that is not a token, or a value with nothing
/// printable left, gives no header at all.
public enum SIPExtensionHeader {
    /// The longest value written, in bytes (a parent BSUID is at most 135).
    public static let valueLimit = 160

    /// The longest name accepted.
    public static let nameLimit = 64

    /// The whole header line, or nil when `name` or `value` cannot be written safely.
    public static func line(name: String, value: String) -> String? {
        guard (1...nameLimit).contains(name.utf8.count), name.utf8.allSatisfy(isTokenCharacter) else { return nil }
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if out.count >= valueLimit { break }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                pendingSpace = !out.isEmpty
                continue
            }
            guard byte > 0x20, byte < 0x7F else { continue }
            if pendingSpace, out.count < valueLimit - 1 { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte)
        }
        guard !out.isEmpty else { return nil }
        return name + ": " + String(decoding: out, as: UTF8.self)
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-.!%*_+`'~".utf8.contains(byte)
        }
    }
}
