/// The header common to every RTCP packet (RFC 3550 §6.4.1, §6.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// `count` is the report count (SR/RR), source count (SDES/BYE) or the
/// feedback message type (RFC 4585); `length` is the packet's size in 32-bit
/// words minus one, header and padding included.
public struct RTCPHeader: Sendable, Equatable {
    /// The padding bit: the packet's last byte counts padding bytes.
    public var padding: Bool
    /// The 5-bit count (RC, SC) or format (FMT) field.
    public var count: UInt8
    /// The packet type (see `RTCPPacketType`).
    public var packetType: UInt8
    /// The length field: size in 32-bit words minus one.
    public var length: UInt16

    /// The size of the common header in bytes.
    public static let size = 4

    /// Creates a header.
    public init(padding: Bool = false, count: UInt8, packetType: UInt8, length: UInt16) {
        self.padding = padding
        self.count = count
        self.packetType = packetType
        self.length = length
    }

    /// The whole packet's size in bytes, as the length field states it.
    public var packetSize: Int { (Int(length) + 1) * 4 }

    /// Reads the header at `offset`; checks the version only, not the length.
    public static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) throws(RTPError) -> RTCPHeader {
        guard bytes.count - offset >= size else { throw .truncated(needed: size, available: bytes.count - offset) }
        guard bytes[offset] >> 6 == 2 else { throw .badVersion(bytes[offset] >> 6) }
        return RTCPHeader(
            padding: bytes[offset] & 0x20 != 0,
            count: bytes[offset] & 0x1f,
            packetType: bytes[offset + 1],
            length: bytes.loadBigEndianUInt16(at: offset + 2)
        )
    }

    /// Writes the header at `offset` of `buffer`, which must hold 4 bytes there.
    public func write(to buffer: UnsafeMutableRawBufferPointer, at offset: Int = 0) {
        precondition(buffer.count - offset >= Self.size)
        buffer[offset] = 0x80 | (padding ? 0x20 : 0) | (count & 0x1f)
        buffer[offset + 1] = packetType
        buffer.storeBigEndian(length, at: offset + 2)
    }
}

/// RTCP packet type numbers (RFC 3550 §12.1, RFC 4585 §6.1).
public enum RTCPPacketType {
    /// Sender report.
    public static let senderReport: UInt8 = 200
    /// Receiver report.
    public static let receiverReport: UInt8 = 201
    /// Source description.
    public static let sourceDescription: UInt8 = 202
    /// Goodbye.
    public static let goodbye: UInt8 = 203
    /// Application-defined.
    public static let application: UInt8 = 204
    /// Transport-layer feedback (RFC 4585).
    public static let transportFeedback: UInt8 = 205
    /// Payload-specific feedback (RFC 4585).
    public static let payloadFeedback: UInt8 = 206
}
