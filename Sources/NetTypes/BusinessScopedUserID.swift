// Meta's business-scoped user id (BSUID): how WhatsApp names a user who has a
// username and no shared phone number. The one validator of its shape, used
// where webhooks are decoded and where a phone dials one back.

/// A business-scoped user id as Meta writes it: an ISO 3166 alpha-2 country
/// code, a dot, then 1–128 ASCII letters and digits (`US.13491208655302741918`);
/// a parent BSUID, shared by linked business portfolios, has `ENT.` after the
/// country code (`US.ENT.11815799212886844830`). Anything else is not one, so a
/// value from outside never reaches a SIP header or a Graph request unchecked.
public struct BusinessScopedUserID: Sendable, Hashable, CustomStringConvertible {
    /// The id exactly as Meta writes it.
    public let rawValue: String

    /// The longest id accepted: country code, dot, `ENT.` and 128 alphanumerics.
    public static let maximumLength = 2 + 1 + 4 + 128

    /// Parses `text`; nil unless it has the shape above. The country code must
    /// be upper case as Meta sends it; `lenientCountry` also takes a lower-case
    /// one (a phone that lowered the user part it dials) and upper-cases it.
    public init?(_ text: some StringProtocol, lenientCountry: Bool = false) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, bytes.count <= Self.maximumLength, bytes[2] == UInt8(ascii: ".") else { return nil }
        var country = [bytes[0], bytes[1]]
        if lenientCountry { country = country.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 } }
        guard country.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return nil }
        var rest = bytes[3...]
        let enterprise = Array("ENT.".utf8)
        if rest.starts(with: enterprise) { rest = rest.dropFirst(enterprise.count) }
        guard !rest.isEmpty, rest.count <= 128, rest.allSatisfy(Self.isAlphanumeric) else { return nil }
        rawValue = String(decoding: country + bytes[2...], as: UTF8.self)
    }

    /// Whether this is a parent BSUID (`CC.ENT.…`).
    public var isParent: Bool { rawValue.utf8.dropFirst(3).starts(with: "ENT.".utf8) }

    /// The ISO 3166 alpha-2 country code it starts with.
    public var countryCode: String { String(rawValue.prefix(2)) }

    /// The id.
    public var description: String { rawValue }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
