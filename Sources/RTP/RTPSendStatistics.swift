/// What one RTP sender has sent, for the sender information of its SRs
/// (RFC 3550 §6.4.1): packet and payload-octet counts, and the last RTP
/// timestamp with the time it was sent, from which the SR's RTP timestamp is
/// extrapolated to the SR's own NTP time.
///
/// Time is an input (`NTPTimestamp`, wallclock for a meaningful SR). Nothing
/// here allocates. A value type owned by one call's event loop.
public struct RTPSendStatistics: Sendable {
    /// The RTP clock rate of the stream (48000 for Opus, 8000 for G.711/G.722).
    public let clockRate: Int
    /// RTP data packets sent (wraps at 2^32 as the SR field does).
    public private(set) var packetCount: UInt32 = 0
    /// RTP payload octets sent, headers and padding excluded (wraps at 2^32).
    public private(set) var octetCount: UInt32 = 0
    /// The RTP timestamp of the last packet sent, nil before the first.
    public private(set) var lastRTPTimestamp: UInt32?
    /// When the last packet was sent.
    public private(set) var lastSendTime = NTPTimestamp(rawValue: 0)
    /// Reports made since the last packet was sent.
    private var reportsSinceLastSend = Int.max

    /// Creates empty statistics for a stream at `clockRate` ticks per second.
    public init(clockRate: Int) {
        self.clockRate = max(1, clockRate)
    }

    /// Records one RTP packet sent at `time`.
    public mutating func record(payloadSize: Int, rtpTimestamp: UInt32, at time: NTPTimestamp) {
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: payloadSize)
        lastRTPTimestamp = rtpTimestamp
        lastSendTime = time
        reportsSinceLastSend = 0
    }

    /// Whether the next report should be an SR: data was sent since the
    /// report before last (RFC 3550 §6.4).
    public var isActiveSender: Bool { reportsSinceLastSend < 2 }

    /// The sender information for a report sent at `now`, or nil when the
    /// next report should be an RR. The RTP timestamp is the last one sent
    /// advanced by the time since, at `clockRate` (RFC 3550 §6.4.1). Counts
    /// one report made, for `isActiveSender`.
    public mutating func makeSenderInfo(now: NTPTimestamp) -> RTCPSenderInfo? {
        defer { reportsSinceLastSend = reportsSinceLastSend == .max ? .max : reportsSinceLastSend + 1 }
        guard isActiveSender, let last = lastRTPTimestamp else { return nil }
        let elapsed = now.nanoseconds(since: lastSendTime)
        let ticks = elapsed / 1_000_000_000 * Int64(clockRate) + elapsed % 1_000_000_000 * Int64(clockRate) / 1_000_000_000
        return RTCPSenderInfo(
            ntpTimestamp: now, rtpTimestamp: last &+ UInt32(truncatingIfNeeded: ticks),
            packetCount: packetCount, octetCount: octetCount
        )
    }
}

extension RTCPWriter {
    /// Appends the regular report of RFC 3550 §6.4: an SR when `senderInfo`
    /// is given, else an RR, with at most one report block, followed by an
    /// SDES CNAME. Allocates nothing.
    public mutating func appendReport(
        ssrc: UInt32, senderInfo: RTCPSenderInfo?, reportBlock: RTCPReportBlock?, cname: String
    ) throws(RTPError) {
        switch (senderInfo, reportBlock) {
        case let (info?, block?): try appendSenderReport(ssrc: ssrc, info: info, reportBlocks: CollectionOfOne(block))
        case let (info?, nil): try appendSenderReport(ssrc: ssrc, info: info, reportBlocks: EmptyCollection())
        case let (nil, block?): try appendReceiverReport(ssrc: ssrc, reportBlocks: CollectionOfOne(block))
        case (nil, nil): try appendReceiverReport(ssrc: ssrc, reportBlocks: EmptyCollection())
        }
        try appendCNAME(ssrc: ssrc, cname: cname)
    }
}
