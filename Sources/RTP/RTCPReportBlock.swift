/// One reception report block of an SR or RR (RFC 3550 §6.4.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_n (SSRC of the source)                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// ```
public struct RTCPReportBlock: Sendable, Equatable {
    /// The source this block reports on.
    public var ssrc: UInt32
    /// Fraction of packets lost since the previous report, in 1/256 (0–255).
    public var fractionLost: UInt8
    /// Cumulative packets lost, a signed 24-bit value (duplicates can make it negative).
    public var cumulativeLost: Int32
    /// Extended highest sequence number received: cycles << 16 | highest.
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received from the source, 0 if none.
    public var lastSenderReport: UInt32
    /// Delay between receiving that SR and sending this block, in 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    /// The block's size in bytes.
    public static let size = 24

    /// The largest and smallest values the 24-bit cumulative-lost field holds.
    public static let cumulativeLostRange: ClosedRange<Int32> = -0x80_0000...0x7f_ffff

    /// Creates a block; `cumulativeLost` is clamped to 24 bits.
    public init(
        ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequence: UInt32 = 0,
        jitter: UInt32 = 0, lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = min(max(cumulativeLost, Self.cumulativeLostRange.lowerBound), Self.cumulativeLostRange.upperBound)
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Reads a block at `offset`; the caller has checked that 24 bytes are there.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> RTCPReportBlock {
        let lostField = bytes.loadBigEndianUInt32(at: offset + 4)
        // Sign-extend the 24-bit cumulative count.
        let cumulative = Int32(bitPattern: lostField << 8) >> 8
        return RTCPReportBlock(
            ssrc: bytes.loadBigEndianUInt32(at: offset),
            fractionLost: UInt8(truncatingIfNeeded: lostField >> 24),
            cumulativeLost: cumulative,
            extendedHighestSequence: bytes.loadBigEndianUInt32(at: offset + 8),
            jitter: bytes.loadBigEndianUInt32(at: offset + 12),
            lastSenderReport: bytes.loadBigEndianUInt32(at: offset + 16),
            delaySinceLastSenderReport: bytes.loadBigEndianUInt32(at: offset + 20)
        )
    }

    /// Writes the block at `offset`; the caller has checked that 24 bytes fit.
    func write(to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBigEndian(ssrc, at: offset)
        let lost = UInt32(bitPattern: cumulativeLost) & 0x00ff_ffff
        buffer.storeBigEndian(UInt32(fractionLost) << 24 | lost, at: offset + 4)
        buffer.storeBigEndian(extendedHighestSequence, at: offset + 8)
        buffer.storeBigEndian(jitter, at: offset + 12)
        buffer.storeBigEndian(lastSenderReport, at: offset + 16)
        buffer.storeBigEndian(delaySinceLastSenderReport, at: offset + 20)
    }

    /// The round-trip time this block implies (RFC 3550 §6.4.1): with A the
    /// arrival time of the report, RTT = A − LSR − DLSR, all in compact NTP
    /// units (1/65536 s). Nil when the block carries no LSR (no SR received
    /// yet by the reporter) or the result would be clearly negative (clock
    /// skew); zero when it is negative by no more than the reporter's rounding.
    ///
    /// ```
    ///   [10 Nov 1995 11:33:25.125 UTC]       [10 Nov 1995 11:33:36.5 UTC]
    ///   n                 SR(n)              A=b710:8000 (46864.500 s)
    ///   ---------------------------------------------------------------->
    ///                      v                 ^
    ///   ntp_sec =0xb44db705 v               ^ dlsr=0x0005:4000 (    5.250s)
    ///   ntp_frac=0x20000000  v             ^  lsr =0xb705:2000 (46853.125s)
    ///     (3024992005.125 s)  v           ^
    ///   r                      v         ^ RR(n)
    ///   ---------------------------------------------------------------->
    ///                          |<-DLSR->|
    /// ```
    public func roundTripTime(arrival: NTPTimestamp) -> Duration? {
        guard let units = roundTripTimeCompact(arrival: arrival) else { return nil }
        return NTPTimestamp.duration(compactUnits: units)
    }

    /// The round-trip time in compact NTP units (1/65536 s); see `roundTripTime(arrival:)`.
    public func roundTripTimeCompact(arrival: NTPTimestamp) -> UInt32? {
        guard lastSenderReport != 0 else { return nil }
        // Modulo 2^32: an LSR before the middle 32 bits wrap (every 18.2 h, and
        // at the NTP era change) still subtracts right.
        let rtt = arrival.compact &- lastSenderReport &- delaySinceLastSenderReport
        if rtt < 0x8000_0000 { return rtt }
        // A "negative" result wraps to a huge value. Just below zero is a round
        // trip shorter than the reporter's rounding of DLSR (libre counts it in
        // milliseconds, so a loopback peer overstates it by up to 1 ms): zero.
        // Further below is clock skew or a bogus block: no figure.
        return 0 &- rtt <= Self.delayRoundingTolerance ? 0 : nil
    }

    /// How far below zero A − LSR − DLSR may come out and still mean "no
    /// measurable delay": 256 units, 3.9 ms, a few ticks of a millisecond clock.
    public static let delayRoundingTolerance: UInt32 = 0x100
}
