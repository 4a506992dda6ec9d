/// The sender information section of an SR (RFC 3550 §6.4.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             NTP timestamp, least significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP timestamp                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     sender's packet count                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// ```
public struct RTCPSenderInfo: Sendable, Equatable {
    /// Wallclock time when the report was sent.
    public var ntpTimestamp: NTPTimestamp
    /// The same instant in the RTP clock of the sender's stream.
    public var rtpTimestamp: UInt32
    /// RTP data packets sent since the stream began (wraps).
    public var packetCount: UInt32
    /// RTP payload octets sent since the stream began, headers excluded (wraps).
    public var octetCount: UInt32

    /// The section's size in bytes.
    public static let size = 20

    /// Creates sender information.
    public init(ntpTimestamp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32) {
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
    }

    /// Reads the section at `offset`; the caller has checked that 20 bytes are there.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> RTCPSenderInfo {
        RTCPSenderInfo(
            ntpTimestamp: NTPTimestamp(rawValue: bytes.loadBigEndianUInt64(at: offset)),
            rtpTimestamp: bytes.loadBigEndianUInt32(at: offset + 8),
            packetCount: bytes.loadBigEndianUInt32(at: offset + 12),
            octetCount: bytes.loadBigEndianUInt32(at: offset + 16)
        )
    }

    /// Writes the section at `offset`; the caller has checked that 20 bytes fit.
    func write(to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBigEndian(ntpTimestamp.rawValue, at: offset)
        buffer.storeBigEndian(rtpTimestamp, at: offset + 8)
        buffer.storeBigEndian(packetCount, at: offset + 12)
        buffer.storeBigEndian(octetCount, at: offset + 16)
    }
}

/// A sender report, RTCP packet type 200 (RFC 3550 §6.4.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                sender info (RTCPSenderInfo), 20 bytes         |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                report blocks (RTCPReportBlock), RC × 24 bytes |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Profile-specific extensions are skipped when parsing.
public struct RTCPSenderReport: Sendable, Equatable {
    /// The sender's SSRC.
    public var ssrc: UInt32
    /// The sender information.
    public var senderInfo: RTCPSenderInfo
    /// Reception reports from this sender (at most 31).
    public var reportBlocks: [RTCPReportBlock]

    /// Creates a sender report.
    public init(ssrc: UInt32, senderInfo: RTCPSenderInfo, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.senderInfo = senderInfo
        self.reportBlocks = reportBlocks
    }

    /// Parses the packet whose common header `header` was read at `range.lowerBound`;
    /// `range` ends before any padding.
    public static func parse(_ bytes: UnsafeRawBufferPointer, header: RTCPHeader, range: Range<Int>) throws(RTPError) -> RTCPSenderReport {
        let needed = 8 + RTCPSenderInfo.size + Int(header.count) * RTCPReportBlock.size
        guard range.count >= needed else { throw .badLength(packetType: header.packetType) }
        let start = range.lowerBound
        let blocksStart = start + 8 + RTCPSenderInfo.size
        return RTCPSenderReport(
            ssrc: bytes.loadBigEndianUInt32(at: start + 4),
            senderInfo: .read(bytes, at: start + 8),
            reportBlocks: (0..<Int(header.count)).map { .read(bytes, at: blocksStart + $0 * RTCPReportBlock.size) }
        )
    }

    /// Writes the packet at the writer's position.
    public func write(to writer: inout RTCPWriter) throws(RTPError) {
        try writer.appendSenderReport(ssrc: ssrc, info: senderInfo, reportBlocks: reportBlocks)
    }
}
