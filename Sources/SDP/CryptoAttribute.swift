/// `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]` (RFC 4568 §9.1),
/// the SDES key exchange for SRTP:
///
/// ```
/// a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>]
/// ```
public struct CryptoAttribute: Hashable, Sendable, CustomStringConvertible {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The cases keep the tag-length suffix of the RFC names (_80, _32).
    /// The SRTP suites wagate supports (RFC 4568 §6.2.1, §6.2.2, RFC 6188 §7.1): a
    /// 128- or 256-bit master key and a 112-bit master salt.
    public enum Suite: String, Hashable, Sendable, CaseIterable {
        /// AES counter mode with an 80-bit HMAC-SHA1 tag.
        case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
        /// AES counter mode with a 32-bit HMAC-SHA1 tag on RTP (80 on RTCP).
        case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"
        /// AES-256 counter mode with an 80-bit HMAC-SHA1 tag (RFC 6188 §7.1).
        case aesCM256HMACSHA1_80 = "AES_256_CM_HMAC_SHA1_80"

        /// Master key plus master salt length in bytes: 16 + 14 for the AES_CM_128
        /// suites, 32 + 14 for AES_256_CM.
        public var keyAndSaltLength: Int {
            self == .aesCM256HMACSHA1_80 ? 46 : 30
        }

        /// The longest master key plus salt of any suite (what a leg keeps to key any of them).
        public static let longestKeyAndSalt = 46
    }

    /// One `inline:` key parameter (RFC 4568 §6.1, §9.1).
    public struct KeyParameter: Hashable, Sendable {
        /// The master key followed by the master salt (30 bytes for the AES_CM_128 suites).
        public var keyAndSalt: [UInt8]
        /// The lifetime as written (`2^31` or a decimal count), if any.
        public var lifetime: String?
        /// The MKI value, if any.
        public var mki: UInt64?
        /// The MKI length in bytes (1–128), with `mki`.
        public var mkiLength: Int?

        /// Creates a key parameter.
        public init(keyAndSalt: [UInt8], lifetime: String? = nil, mki: UInt64? = nil, mkiLength: Int? = nil) {
            self.keyAndSalt = keyAndSalt
            self.lifetime = lifetime
            self.mki = mki
            self.mkiLength = mkiLength
        }

        /// Parses `inline:<key||salt>[|<lifetime>][|<MKI>:<length>]` (RFC 4568 §9.1):
        /// the key is at most 64 bytes (`longestKey`), the lifetime `2^n` or a decimal
        /// count, the MKI a decimal value that fits its byte length.
        init(text: Substring) throws(SDPError) {
            guard text.hasPrefix("inline:") else {
                throw SDPError(.invalidAttribute, "crypto key method must be inline")
            }
            let fields = text.dropFirst("inline:".count).split(separator: "|", omittingEmptySubsequences: false)
            guard fields[0].utf8.count <= Self.longestKey / 3 * 4 + 4, let key = Base64.decode(fields[0]), !key.isEmpty else {
                throw SDPError(.invalidAttribute, "crypto inline key is not base64 of at most \(Self.longestKey) bytes")
            }
            guard fields.count <= 3 else {
                throw SDPError(.invalidAttribute, "crypto key has more than a lifetime and an MKI")
            }
            self.init(keyAndSalt: key)
            for field in fields.dropFirst() {
                if let colon = field.firstIndex(of: ":") {
                    try parseMKI(value: field[..<colon], length: field[field.index(after: colon)...])
                } else {
                    guard lifetime == nil, mki == nil, Self.isLifetime(field) else {
                        throw SDPError(.invalidAttribute, "crypto lifetime is misplaced or not 2^n or a count")
                    }
                    lifetime = String(field)
                }
            }
        }

        /// The longest key and salt a line may carry (any SRTP suite's fits).
        static let longestKey = 64

        /// `<MKI value>:<MKI length in bytes 1-128>`; the value must fit the length.
        private mutating func parseMKI(value: Substring, length: Substring) throws(SDPError) {
            guard mki == nil, value.utf8.count <= 20, let parsed = UInt64(value),
                  let bytes = Int(length), (1...128).contains(bytes), bytes >= 8 || parsed >> (8 * bytes) == 0 else {
                throw SDPError(.invalidAttribute, "crypto MKI must be <value>:<length 1-128> with the value fitting the length")
            }
            mki = parsed
            mkiLength = bytes
        }

        /// `2^<1-2 digits>` or a decimal count (RFC 4568 §9.1 `lifetime`).
        private static func isLifetime(_ text: Substring) -> Bool {
            let digits = text.hasPrefix("2^") ? text.dropFirst(2) : text
            let limit = text.hasPrefix("2^") ? 2 : 20
            return !digits.isEmpty && digits.utf8.count <= limit && digits.utf8.allSatisfy { (48...57).contains($0) }
        }

        /// `inline:…` as written on the wire.
        var text: String {
            var text = "inline:" + Base64.encode(keyAndSalt)
            if let lifetime { text += "|" + lifetime }
            if let mki, let mkiLength { text += "|\(mki):\(mkiLength)" }
            return text
        }
    }

    /// The tag, echoed by the answer to say which offered line it accepts (RFC 4568 §5.1).
    public var tag: UInt32
    /// The suite name, e.g. `AES_CM_128_HMAC_SHA1_80`.
    public var suite: String
    /// One or more key parameters (`;`-separated on the wire).
    public var keys: [KeyParameter]
    /// Session parameters (`UNENCRYPTED_SRTP`, `KDR=…`, …), verbatim.
    public var sessionParameters: [String]

    /// Creates a crypto attribute.
    public init(tag: UInt32, suite: String, keys: [KeyParameter], sessionParameters: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keys = keys
        self.sessionParameters = sessionParameters
    }

    /// Parses the value after `a=crypto:`.
    /// - Throws: `SDPError.Kind.invalidAttribute` when the grammar does not match.
    public init(attributeValue value: String) throws(SDPError) {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3, let tag = UInt32(parts[0]), tag <= 999_999_999, !parts[1].isEmpty else {
            throw SDPError(.invalidAttribute, "crypto needs <tag> <suite> <key-params>")
        }
        let items = parts[2].split(separator: ";", omittingEmptySubsequences: false)
        guard items.count <= Self.maximumKeys else {
            throw SDPError(.invalidAttribute, "crypto has more than \(Self.maximumKeys) keys")
        }
        var keys: [KeyParameter] = []
        for item in items {
            keys.append(try KeyParameter(text: item))
        }
        self.init(tag: tag, suite: String(parts[1]), keys: keys, sessionParameters: parts.dropFirst(3).map(String.init))
    }

    /// The most `a=crypto` lines of one stream that are read (an offer lists a few
    /// suites; a thousand lines are hostile and the rest are ignored).
    public static let maximumLines = 32

    /// The most key parameters one line may carry (several need MKIs, RFC 4568 §6.1).
    static let maximumKeys = 16

    /// The suite, when it is one wagate supports.
    public var knownSuite: Suite? {
        Suite(rawValue: suite)
    }

    /// The key and salt of the first key parameter.
    public var keyAndSalt: [UInt8] {
        keys.first?.keyAndSalt ?? []
    }

    /// The value after `a=crypto:`.
    public var attributeValue: String {
        var text = "\(tag) \(suite) " + keys.map(\.text).joined(separator: ";")
        for parameter in sessionParameters {
            text += " " + parameter
        }
        return text
    }

    /// The whole attribute.
    public var attribute: SDPAttribute {
        SDPAttribute("crypto", attributeValue)
    }

    /// Same as `attributeValue`.
    public var description: String {
        attributeValue
    }
}
