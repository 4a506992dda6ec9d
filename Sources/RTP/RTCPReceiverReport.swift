/// A receiver report, RTCP packet type 201 (RFC 3550 §6.4.2).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                report blocks (RTCPReportBlock), RC × 24 bytes |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public struct RTCPReceiverReport: Sendable, Equatable {
    /// The reporter's SSRC.
    public var ssrc: UInt32
    /// Reception reports (at most 31).
    public var reportBlocks: [RTCPReportBlock]

    /// Creates a receiver report.
    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    /// Parses the packet whose common header `header` was read at `range.lowerBound`;
    /// `range` ends before any padding.
    public static func parse(_ bytes: UnsafeRawBufferPointer, header: RTCPHeader, range: Range<Int>) throws(RTPError) -> RTCPReceiverReport {
        guard range.count >= 8 + Int(header.count) * RTCPReportBlock.size else {
            throw .badLength(packetType: header.packetType)
        }
        let start = range.lowerBound
        return RTCPReceiverReport(
            ssrc: bytes.loadBigEndianUInt32(at: start + 4),
            reportBlocks: (0..<Int(header.count)).map { .read(bytes, at: start + 8 + $0 * RTCPReportBlock.size) }
        )
    }

    /// Writes the packet at the writer's position.
    public func write(to writer: inout RTCPWriter) throws(RTPError) {
        try writer.appendReceiverReport(ssrc: ssrc, reportBlocks: reportBlocks)
    }
}
