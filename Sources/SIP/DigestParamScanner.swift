/// Reads the auth-param list of a challenge (RFC 7235 §2.1, RFC 3261 §25.1):
/// `name = token` or `name = "quoted string"`, separated by commas, with
/// optional spaces and tabs around each. Names come back lowercased, quoted
/// values unescaped (`\"` → `"`). Works on bytes; any control character, an
/// unterminated quote or a missing `=` ends the scan with a refusal, never a trap.
struct DigestParamScanner {
    private let bytes: [UInt8]
    private var index = 0

    /// A scanner over `text`.
    init(_ text: Substring) {
        bytes = Array(text.utf8)
    }

    /// The next token (the scheme), after leading spaces; nil when there is none.
    mutating func token() -> String? {
        skipSpaces()
        let start = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// Every `name=value` pair from here to the end.
    mutating func parameters() -> Result<[(String, String)], DigestChallenge.Refusal> {
        var pairs: [(String, String)] = []
        while true {
            skipSpaces()
            while index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpaces()
            }
            guard index < bytes.count else { return .success(pairs) }
            guard let name = token() else { return .failure(.malformed("parameter name expected")) }
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return .failure(.malformed("\(name.prefix(40)) without =")) }
            index += 1
            skipSpaces()
            guard let value = value() else { return .failure(.malformed("bad value of \(name.prefix(40))")) }
            pairs.append((name.lowercased(), value))
            skipSpaces()
            guard index == bytes.count || bytes[index] == UInt8(ascii: ",") else {
                return .failure(.malformed("text after \(name.prefix(40))"))
            }
        }
    }

    private mutating func value() -> String? {
        guard index < bytes.count else { return nil }
        guard bytes[index] == UInt8(ascii: "\"") else { return bareValue() }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count, !Self.isControl(bytes[index]) else { return nil }
                out.append(bytes[index])
                index += 1
            default:
                guard !Self.isControl(byte) || byte == 0x09 else { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    /// An unquoted value: a token in the grammar, read leniently up to the
    /// next comma or space (some servers leave base64 nonces unquoted).
    private mutating func bareValue() -> String? {
        let start = index
        while index < bytes.count, !Self.isControl(bytes[index]),
              ![UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\"")].contains(bytes[index]) { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    private mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    private static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7f }

    /// RFC 3261 `token` characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-.!%*_+`'~".utf8.contains(byte)
        }
    }
}
