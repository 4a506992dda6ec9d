/// A STUN message to build and encode, or fully decoded (RFC 8489 §5).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// On the receive path prefer `STUNPacket`, which indexes attributes without
/// decoding them; this type is for building and for tests.
public struct STUNMessage: Hashable, Sendable {
    /// 0x2112A442 (RFC 8489 §5).
    public static let magicCookie: UInt32 = 0x2112_A442
    /// The fixed header size.
    public static let headerLength = 20

    /// Method and class.
    public var type: STUNMessageType
    /// The transaction id.
    public var transactionID: STUNTransactionID
    /// Attributes in wire order, without MESSAGE-INTEGRITY and FINGERPRINT.
    public var attributes: [STUNAttribute]
    /// The MESSAGE-INTEGRITY value of a decoded message, if it had one.
    public var messageIntegrity: [UInt8]?
    /// The FINGERPRINT value of a decoded message, if it had one.
    public var fingerprint: UInt32?

    /// Creates a message.
    public init(type: STUNMessageType, transactionID: STUNTransactionID, attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// Parses and decodes every attribute.
    /// - Throws: `STUNError` for malformed framing or a malformed known attribute.
    public init(parsing bytes: [UInt8]) throws(STUNError) {
        try self.init(try STUNPacket(parsing: bytes))
    }

    /// Decodes every attribute of an indexed packet.
    public init(_ packet: STUNPacket) throws(STUNError) {
        self.init(type: packet.type, transactionID: packet.transactionID)
        for raw in packet.rawAttributes {
            let value = packet.bytes[raw.valueRange]
            switch STUNAttributeType(rawValue: raw.type) {
            case .messageIntegrity:
                messageIntegrity = Array(value)
            case .fingerprint:
                fingerprint = UInt32(try STUNAttribute.fixedWidth(value, bytes: 4, type: raw.type))
            default:
                attributes.append(try STUNAttribute(type: raw.type, value: value, transactionID: transactionID))
            }
        }
    }

    /// The first attribute of a type.
    public func first(_ type: STUNAttributeType) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }

    /// Encodes the message, appending MESSAGE-INTEGRITY (RFC 8489 §14.5) when a key
    /// is given and FINGERPRINT (§14.7) when asked, in that order.
    /// - Parameter paddingByte: the value of padding bytes (RFC 8489 §14 allows
    ///   any; 0 by default, 0x20 reproduces RFC 5769 §2.1–2.3 byte for byte).
    /// - Throws: `STUNError.Kind.invalidParameter` for values out of range.
    public func encode(
        integrityKey: STUNIntegrityKey? = nil, fingerprint addFingerprint: Bool = false, paddingByte: UInt8 = 0
    ) throws(STUNError) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(128)
        STUNAttribute.appendBigEndian(UInt64(type.rawValue), bytes: 2, to: &buffer)
        buffer.append(contentsOf: [0, 0])
        STUNAttribute.appendBigEndian(UInt64(Self.magicCookie), bytes: 4, to: &buffer)
        transactionID.append(to: &buffer)
        for attribute in attributes {
            let headerIndex = buffer.count
            buffer.append(contentsOf: [0, 0, 0, 0])
            try attribute.encodeValue(into: &buffer, transactionID: transactionID)
            let length = buffer.count - headerIndex - 4
            guard length <= 0xFFFF else {
                throw STUNError(.invalidParameter, "attribute longer than 65535 bytes", attribute: attribute.type.rawValue)
            }
            Self.writeUInt16(attribute.type.rawValue, at: headerIndex, in: &buffer)
            Self.writeUInt16(UInt16(length), at: headerIndex + 2, in: &buffer)
            buffer.append(contentsOf: repeatElement(paddingByte, count: (4 - length % 4) % 4))
        }
        if let integrityKey {
            Self.writeUInt16(UInt16(truncatingIfNeeded: buffer.count - Self.headerLength + 24), at: 2, in: &buffer)
            let mac = integrityKey.mac(buffer[...])
            buffer.append(contentsOf: [0x00, 0x08, 0x00, 0x14])
            buffer.append(contentsOf: mac)
        }
        if addFingerprint {
            Self.writeUInt16(UInt16(truncatingIfNeeded: buffer.count - Self.headerLength + 8), at: 2, in: &buffer)
            let crc = CRC32.checksum(buffer[...]) ^ STUNPacket.fingerprintXOR
            buffer.append(contentsOf: [0x80, 0x28, 0x00, 0x04])
            STUNAttribute.appendBigEndian(UInt64(crc), bytes: 4, to: &buffer)
        }
        guard buffer.count - Self.headerLength <= 0xFFFF else {
            throw STUNError(.invalidParameter, "message longer than 65535 bytes")
        }
        Self.writeUInt16(UInt16(buffer.count - Self.headerLength), at: 2, in: &buffer)
        return buffer
    }

    /// Writes a big-endian 16-bit value.
    static func writeUInt16(_ value: UInt16, at index: Int, in buffer: inout [UInt8]) {
        buffer[index] = UInt8(value >> 8)
        buffer[index + 1] = UInt8(value & 0xFF)
    }
}
