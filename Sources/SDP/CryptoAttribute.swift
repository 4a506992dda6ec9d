/// `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]` (RFC 4568 §9.1),
/// the SDES key exchange for SRTP:
///
/// ```
/// a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>]
/// ```
public struct CryptoAttribute: Hashable, Sendable, CustomStringConvertible {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The cases keep the tag-length suffix of the RFC names (_80, _32).
    /// The SRTP suites wagate supports (RFC 4568 §6.2.1, §6.2.2): both use a 128-bit
    /// master key and a 112-bit master salt, 30 bytes in all.
    public enum Suite: String, Hashable, Sendable, CaseIterable {
        /// AES counter mode with an 80-bit HMAC-SHA1 tag.
        case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
        /// AES counter mode with a 32-bit HMAC-SHA1 tag on RTP (80 on RTCP).
        case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"

        /// Master key plus master salt length in bytes.
        public static let keyAndSaltLength = 30
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

        /// Parses `inline:<key||salt>[|<lifetime>][|<MKI>:<length>]`.
        init(text: Substring) throws(SDPError) {
            guard text.hasPrefix("inline:") else {
                throw SDPError(.invalidAttribute, "crypto key method must be inline")
            }
            let fields = text.dropFirst("inline:".count).split(separator: "|", omittingEmptySubsequences: false)
            guard let key = Base64.decode(fields[0]), !key.isEmpty else {
                throw SDPError(.invalidAttribute, "crypto inline key is not base64")
            }
            self.init(keyAndSalt: key)
            for field in fields.dropFirst() {
                if let colon = field.firstIndex(of: ":") {
                    guard mki == nil, let value = UInt64(field[..<colon]),
                          let length = Int(field[field.index(after: colon)...]), (1...128).contains(length) else {
                        throw SDPError(.invalidAttribute, "crypto MKI must be <value>:<length 1-128>")
                    }
                    mki = value
                    mkiLength = length
                } else {
                    guard lifetime == nil, mki == nil, !field.isEmpty else {
                        throw SDPError(.invalidAttribute, "crypto lifetime is misplaced or empty")
                    }
                    lifetime = String(field)
                }
            }
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
        var keys: [KeyParameter] = []
        for item in parts[2].split(separator: ";", omittingEmptySubsequences: false) {
            keys.append(try KeyParameter(text: item))
        }
        self.init(tag: tag, suite: String(parts[1]), keys: keys, sessionParameters: parts.dropFirst(3).map(String.init))
    }

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
