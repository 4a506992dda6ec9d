/// A STUN attribute type (RFC 8489 §14, §18.3; RFC 8445 §16.1).
///
/// Types 0x0000–0x7FFF are comprehension-required, 0x8000–0xFFFF
/// comprehension-optional.
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit wire value.
    public var rawValue: UInt16

    /// Creates a type from its wire value.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    public static let mappedAddress = Self(rawValue: 0x0001)
    /// USERNAME (RFC 8489 §14.3).
    public static let username = Self(rawValue: 0x0006)
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5).
    public static let messageIntegrity = Self(rawValue: 0x0008)
    /// ERROR-CODE (RFC 8489 §14.8).
    public static let errorCode = Self(rawValue: 0x0009)
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.9).
    public static let unknownAttributes = Self(rawValue: 0x000A)
    /// REALM (RFC 8489 §14.9).
    public static let realm = Self(rawValue: 0x0014)
    /// NONCE (RFC 8489 §14.10).
    public static let nonce = Self(rawValue: 0x0015)
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
    public static let xorMappedAddress = Self(rawValue: 0x0020)
    /// PRIORITY (RFC 8445 §16.1).
    public static let priority = Self(rawValue: 0x0024)
    /// USE-CANDIDATE (RFC 8445 §16.1).
    public static let useCandidate = Self(rawValue: 0x0025)
    /// SOFTWARE (RFC 8489 §14.14).
    public static let software = Self(rawValue: 0x8022)
    /// FINGERPRINT (RFC 8489 §14.7).
    public static let fingerprint = Self(rawValue: 0x8028)
    /// ICE-CONTROLLED (RFC 8445 §16.1).
    public static let iceControlled = Self(rawValue: 0x8029)
    /// ICE-CONTROLLING (RFC 8445 §16.1).
    public static let iceControlling = Self(rawValue: 0x802A)

    /// The types this module decodes into typed `STUNAttribute` cases.
    public static let known: Set<STUNAttributeType> = [
        .mappedAddress, .username, .messageIntegrity, .errorCode, .unknownAttributes, .realm, .nonce,
        .xorMappedAddress, .priority, .useCandidate, .software, .fingerprint, .iceControlled, .iceControlling,
    ]

    /// True for 0x0000–0x7FFF: an agent that does not know it must reject the
    /// message (RFC 8489 §14).
    public var isComprehensionRequired: Bool {
        rawValue < 0x8000
    }

    /// `0x0020`.
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
