/// A goodbye packet, RTCP packet type 203 (RFC 3550 §6.6).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |   PT=BYE=203  |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SSRC/CSRC                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :                              ...                              :
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |     length    |               reason for leaving            ... (opt)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// The reason is padded with nulls to a 32-bit boundary.
public struct RTCPGoodbye: Sendable, Equatable {
    /// The sources leaving (at most 31).
    public var sources: [UInt32]
    /// The reason for leaving, if given.
    public var reason: String?

    /// Creates a goodbye.
    public init(sources: [UInt32], reason: String? = nil) {
        self.sources = sources
        self.reason = reason
    }

    /// Parses the packet whose common header `header` was read at `range.lowerBound`;
    /// `range` ends before any padding.
    public static func parse(_ bytes: UnsafeRawBufferPointer, header: RTCPHeader, range: Range<Int>) throws(RTPError) -> RTCPGoodbye {
        let reasonStart = range.lowerBound + 4 + 4 * Int(header.count)
        guard reasonStart <= range.upperBound else { throw .badLength(packetType: header.packetType) }
        let sources = (0..<Int(header.count)).map { bytes.loadBigEndianUInt32(at: range.lowerBound + 4 + 4 * $0) }
        guard reasonStart < range.upperBound else { return RTCPGoodbye(sources: sources) }
        let length = Int(bytes[reasonStart])
        guard range.upperBound - reasonStart - 1 >= length else { throw .badLength(packetType: header.packetType) }
        let text = UnsafeRawBufferPointer(rebasing: bytes[(reasonStart + 1)..<(reasonStart + 1 + length)])
        return RTCPGoodbye(sources: sources, reason: String(decoding: text, as: UTF8.self))
    }

    /// Writes the packet at the writer's position.
    public func write(to writer: inout RTCPWriter) throws(RTPError) {
        try writer.appendGoodbye(sources: sources, reason: reason)
    }
}
