/// A received STUN datagram, validated and indexed but not decoded.
///
/// The receive path (connectivity and consent checks, every few seconds per
/// call, and any datagram `isSTUN` lets through) parses into this: one array of
/// attribute locations, no per-attribute allocation. Typed accessors decode on
/// demand. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored
/// (RFC 8489 §14.5); FINGERPRINT must be last (§14.7).
public struct STUNPacket: Sendable {
    /// Where one attribute's value lies in `bytes`.
    public struct RawAttribute: Hashable, Sendable {
        /// The attribute type.
        public var type: UInt16
        /// The value's byte range in `bytes` (without padding).
        public var valueRange: Range<Int>
    }

    /// The most attributes accepted in one message.
    public static let maxAttributes = 64
    /// FINGERPRINT is the CRC-32 XOR 0x5354554E (RFC 8489 §14.7).
    public static let fingerprintXOR: UInt32 = 0x5354_554E

    /// The datagram.
    public let bytes: [UInt8]
    /// Method and class.
    public let type: STUNMessageType
    /// The transaction id.
    public let transactionID: STUNTransactionID
    /// The attributes in wire order (up to MESSAGE-INTEGRITY, plus FINGERPRINT).
    public private(set) var rawAttributes: [RawAttribute] = []
    /// The index in `rawAttributes` of MESSAGE-INTEGRITY.
    private var integrityIndex: Int?
    /// The index in `rawAttributes` of FINGERPRINT.
    private var fingerprintIndex: Int?

    /// Validates the header and the attribute framing (RFC 8489 §5, §14).
    /// - Throws: `STUNError` with kind `truncated`, `malformedHeader`,
    ///   `badMagicCookie`, `lengthMismatch`, `tooManyAttributes` or `fingerprintNotLast`.
    public init(parsing bytes: [UInt8]) throws(STUNError) {
        guard bytes.count >= STUNMessage.headerLength else {
            throw STUNError(.truncated, "\(bytes.count) bytes is shorter than the 20-byte header")
        }
        let rawType = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard rawType & 0xC000 == 0, length % 4 == 0 else {
            throw STUNError(.malformedHeader, "leading bits not zero or length \(length) not a multiple of 4")
        }
        let cookie = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
        guard cookie == STUNMessage.magicCookie else {
            throw STUNError(.badMagicCookie, "magic cookie is 0x" + String(cookie, radix: 16))
        }
        guard STUNMessage.headerLength + length == bytes.count else {
            throw STUNError(.lengthMismatch, "header says \(length) bytes after the header, datagram has \(bytes.count - 20)")
        }
        self.bytes = bytes
        self.type = STUNMessageType(rawValue: rawType)
        self.transactionID = STUNTransactionID(bytes: bytes[8..<20]) ?? STUNTransactionID(high: 0, low: 0)
        try indexAttributes()
    }

    /// Parses any byte collection (copies it once into an array).
    public init(parsing bytes: some Collection<UInt8>) throws(STUNError) {
        try self.init(parsing: Array(bytes))
    }

    private mutating func indexAttributes() throws(STUNError) {
        rawAttributes.reserveCapacity(8)
        var offset = STUNMessage.headerLength
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw STUNError(.truncated, "attribute header cut at \(offset)") }
            let type = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let valueStart = offset + 4
            guard valueStart + length <= bytes.count else {
                throw STUNError(.truncated, "value of \(length) bytes runs past the end", attribute: type)
            }
            offset = valueStart + (length + 3) & ~3
            if fingerprintIndex != nil {
                throw STUNError(.fingerprintNotLast, "an attribute follows FINGERPRINT", attribute: type)
            }
            let isFingerprint = type == STUNAttributeType.fingerprint.rawValue
            if integrityIndex != nil, !isFingerprint { continue }
            guard rawAttributes.count < Self.maxAttributes else {
                throw STUNError(.tooManyAttributes, "more than \(Self.maxAttributes) attributes")
            }
            if isFingerprint {
                fingerprintIndex = rawAttributes.count
            } else if type == STUNAttributeType.messageIntegrity.rawValue {
                integrityIndex = rawAttributes.count
            }
            rawAttributes.append(RawAttribute(type: type, valueRange: valueStart..<(valueStart + length)))
        }
    }

    /// The value of the first attribute of a type, or nil.
    public func value(of type: STUNAttributeType) -> ArraySlice<UInt8>? {
        for raw in rawAttributes where raw.type == type.rawValue {
            return bytes[raw.valueRange]
        }
        return nil
    }

    /// Whether an attribute of the type is present.
    public func contains(_ type: STUNAttributeType) -> Bool {
        rawAttributes.contains { $0.type == type.rawValue }
    }

    /// USERNAME as text.
    public var username: String? {
        value(of: .username).map { String(decoding: $0, as: UTF8.self) }
    }

    /// PRIORITY, nil when absent or malformed.
    public var priority: UInt32? {
        value(of: .priority).flatMap { try? UInt32(STUNAttribute.fixedWidth($0, bytes: 4, type: 0x0024)) }
    }

    /// Whether USE-CANDIDATE is present.
    public var useCandidate: Bool {
        contains(.useCandidate)
    }

    /// ICE-CONTROLLING's tie-breaker, nil when absent or malformed.
    public var iceControlling: UInt64? {
        value(of: .iceControlling).flatMap { try? STUNAttribute.fixedWidth($0, bytes: 8, type: 0x802A) }
    }

    /// ICE-CONTROLLED's tie-breaker, nil when absent or malformed.
    public var iceControlled: UInt64? {
        value(of: .iceControlled).flatMap { try? STUNAttribute.fixedWidth($0, bytes: 8, type: 0x8029) }
    }

    /// XOR-MAPPED-ADDRESS, nil when absent or malformed.
    public var xorMappedAddress: TransportAddress? {
        value(of: .xorMappedAddress).flatMap {
            try? STUNAddressCodec.decode($0, xor: transactionID, type: 0x0020)
        }
    }

    /// ERROR-CODE, nil when absent or malformed.
    public var errorCode: STUNErrorCode? {
        value(of: .errorCode).flatMap { try? STUNErrorCode(value: $0) }
    }

    /// Comprehension-required types this module does not know (answer 420, RFC 8489 §6.3.1).
    public var unknownComprehensionRequired: [UInt16] {
        rawAttributes.compactMap {
            let type = STUNAttributeType(rawValue: $0.type)
            return type.isComprehensionRequired && !STUNAttributeType.known.contains(type) ? $0.type : nil
        }
    }

    /// Whether MESSAGE-INTEGRITY is present.
    public var hasIntegrity: Bool {
        integrityIndex != nil
    }

    /// Whether FINGERPRINT is present.
    public var hasFingerprint: Bool {
        fingerprintIndex != nil
    }

    /// The MESSAGE-INTEGRITY attribute's location, for `STUNPacket+Integrity`.
    var integrityAttribute: RawAttribute? {
        integrityIndex.map { rawAttributes[$0] }
    }

    /// The FINGERPRINT attribute's location, for `STUNPacket+Integrity`.
    var fingerprintAttribute: RawAttribute? {
        fingerprintIndex.map { rawAttributes[$0] }
    }
}
