/// The one error type of the `STUN` module.
///
/// `kind` lets callers branch without matching on text; `attribute` names the
/// attribute type involved, when there is one.
public struct STUNError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Hashable, Sendable {
        /// Fewer than 20 bytes, or an attribute runs past the end (RFC 8489 §5, §14).
        case truncated
        /// The two leading bits are not zero or the length is not a multiple of 4 (RFC 8489 §5).
        case malformedHeader
        /// The magic cookie is not 0x2112A442 (RFC 8489 §5).
        case badMagicCookie
        /// The header length does not match the datagram length.
        case lengthMismatch
        /// More attributes than `STUNPacket.maxAttributes`.
        case tooManyAttributes
        /// FINGERPRINT is not the last attribute (RFC 8489 §14.7).
        case fingerprintNotLast
        /// A known attribute's value does not follow its grammar.
        case invalidAttribute
        /// MESSAGE-INTEGRITY is missing where it is required.
        case missingIntegrity
        /// MESSAGE-INTEGRITY does not match the key (RFC 8489 §14.5).
        case integrityMismatch
        /// FINGERPRINT is missing where it is required.
        case missingFingerprint
        /// FINGERPRINT does not match the CRC-32 of the message (RFC 8489 §14.7).
        case fingerprintMismatch
        /// A value given to an encoder is out of range (e.g. an error code outside 300–699).
        case invalidParameter
    }

    /// What went wrong.
    public var kind: Kind
    /// A human-readable explanation.
    public var reason: String
    /// The attribute type involved, if any.
    public var attribute: UInt16?

    /// Creates an error.
    public init(_ kind: Kind, _ reason: String, attribute: UInt16? = nil) {
        self.kind = kind
        self.reason = reason
        self.attribute = attribute
    }

    /// `STUN <kind>: <reason> (attribute 0x…)`.
    public var description: String {
        var text = "STUN \(kind.rawValue): \(reason)"
        if let attribute {
            text += " (attribute 0x" + String(attribute, radix: 16) + ")"
        }
        return text
    }
}
