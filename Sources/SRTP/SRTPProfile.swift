// swift-format-ignore: AlwaysUseLowerCamelCase
// The cases keep the tag-length suffix of the RFC names (_80, _32).
/// An SRTP crypto suite: what protects RTP and RTCP, and how long its master
/// key and salt are.
public enum SRTPProfile: Sendable, Hashable, CaseIterable {
    /// AES_CM_128_HMAC_SHA1_80 (RFC 3711, RFC 5764 `SRTP_AES128_CM_HMAC_SHA1_80`,
    /// RFC 4568 suite): 16-byte key, 14-byte salt, 80-bit tags.
    case aesCM128HMACSHA1_80
    /// AES_CM_128_HMAC_SHA1_32 (RFC 4568 suite, SDES only): 32-bit tag on RTP,
    /// 80-bit tag on RTCP (RFC 3711 §7.5).
    case aesCM128HMACSHA1_32
    /// AEAD_AES_128_GCM (RFC 7714): 16-byte key, 12-byte salt, 16-byte tags.
    case aeadAES128GCM
    /// AES_256_CM_HMAC_SHA1_80 (RFC 6188 §7.1, SDES): 32-byte key, 14-byte salt, 80-bit tags.
    case aesCM256HMACSHA1_80

    /// The profile for a DTLS-SRTP protection profile id (RFC 5764 §4.1.2,
    /// RFC 7714 §14.2), e.g. `DTLSSRTPProfile.rawValue`; nil if unsupported.
    public init?(protectionProfileID: UInt16) {
        switch protectionProfileID {
        case 0x0001: self = .aesCM128HMACSHA1_80
        case 0x0002: self = .aesCM128HMACSHA1_32
        case 0x0007: self = .aeadAES128GCM
        default: return nil
        }
    }

    /// The profile for an SDES `a=crypto` suite name (RFC 4568 §6.2), nil if unsupported.
    public init?(sdesSuite name: String) {
        switch name {
        case "AES_CM_128_HMAC_SHA1_80": self = .aesCM128HMACSHA1_80
        case "AES_CM_128_HMAC_SHA1_32": self = .aesCM128HMACSHA1_32
        case "AEAD_AES_128_GCM": self = .aeadAES128GCM
        case "AES_256_CM_HMAC_SHA1_80": self = .aesCM256HMACSHA1_80
        default: return nil
        }
    }

    /// Master key length in bytes.
    public var keyLength: Int {
        self == .aesCM256HMACSHA1_80 ? 32 : 16
    }

    /// Master salt length in bytes.
    public var saltLength: Int {
        self == .aeadAES128GCM ? 12 : 14
    }

    /// Bytes an SRTP packet grows by when protected (the tag; wagate uses no MKI).
    public var rtpTrailerLength: Int {
        switch self {
        case .aesCM128HMACSHA1_80, .aesCM256HMACSHA1_80: 10
        case .aesCM128HMACSHA1_32: 4
        case .aeadAES128GCM: 16
        }
    }

    /// Bytes an SRTCP packet grows by when protected (E flag + index, then the tag).
    public var rtcpTrailerLength: Int {
        4 + (self == .aeadAES128GCM ? 16 : 10)
    }
}
