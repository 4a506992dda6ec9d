extension RTPReceiveStatistics {
    /// Whether the source has passed probation and is being counted.
    public var isValid: Bool { started && probation == 0 }

    /// The extended highest sequence number received: cycles << 16 | highest (A.1).
    public var extendedHighestSequence: UInt32 { cycles &+ UInt32(maxSequence) }

    /// Packets expected since the source became valid (A.3).
    public var expectedPackets: Int64 {
        guard isValid else { return 0 }
        return Int64(extendedHighestSequence) - Int64(baseSequence) + 1
    }

    /// Valid packets received, duplicates included (A.1 `received`).
    public var packetsReceived: Int64 { isValid ? Int64(received) : 0 }

    /// Packets lost since the source became valid: expected − received (A.3);
    /// negative when duplicates outnumber losses.
    public var cumulativeLost: Int64 { expectedPackets - packetsReceived }

    /// Lost packets as a fraction of expected ones over the whole stream (0…1).
    public var lossRatio: Double {
        let expected = expectedPackets
        guard expected > 0 else { return 0 }
        return min(1, max(0, Double(cumulativeLost) / Double(expected)))
    }

    /// Interarrival jitter in RTP timestamp units (A.8).
    public var jitter: UInt32 { scaledJitter >> 4 }

    /// Interarrival jitter as a duration, for a stream with `clockRate` ticks per second.
    public func jitter(clockRate: Int) -> Duration {
        .nanoseconds(Int64(jitter) * 1_000_000_000 / Int64(max(1, clockRate)))
    }

    /// Notes an SR received from this source, for LSR/DLSR in our next
    /// report block (RFC 3550 §6.4.1). `arrival` is when it arrived, on the
    /// clock later passed to `makeReportBlock(now:)`.
    public mutating func recordSenderReport(_ info: RTCPSenderInfo, arrival: NTPTimestamp) {
        lastSenderReport = info.ntpTimestamp.compact
        lastSenderReportArrival = arrival
    }

    /// The report block describing this source, and the start of a new
    /// report interval for the fraction lost (RFC 3550 A.3):
    ///
    ///     expected_interval = expected − expected_prior
    ///     received_interval = received − received_prior
    ///     lost_interval     = expected_interval − received_interval
    ///     fraction          = lost_interval ≤ 0 ? 0 : (lost_interval << 8) / expected_interval
    ///
    /// `now` is the time the report is sent, for DLSR. Nil until the source is valid.
    public mutating func makeReportBlock(now: NTPTimestamp) -> RTCPReportBlock? {
        guard isValid else { return nil }
        let expected = UInt32(truncatingIfNeeded: expectedPackets)
        let expectedInterval = expected &- expectedPrior
        expectedPrior = expected
        let receivedInterval = received &- receivedPrior
        receivedPrior = received
        let lostInterval = Int64(Int32(bitPattern: expectedInterval)) - Int64(Int32(bitPattern: receivedInterval))
        lastFractionLost = expectedInterval == 0 || lostInterval <= 0
            ? 0 : UInt8(min(255, (lostInterval << 8) / Int64(expectedInterval)))
        var delay: UInt32 = 0
        if let arrival = lastSenderReportArrival {
            delay = now.compact &- arrival.compact
        }
        let lost = min(max(cumulativeLost, Int64(RTCPReportBlock.cumulativeLostRange.lowerBound)),
                       Int64(RTCPReportBlock.cumulativeLostRange.upperBound))
        return RTCPReportBlock(
            ssrc: ssrc, fractionLost: lastFractionLost, cumulativeLost: Int32(lost),
            extendedHighestSequence: extendedHighestSequence, jitter: jitter,
            lastSenderReport: lastSenderReport, delaySinceLastSenderReport: delay
        )
    }

    /// Converts a time in nanoseconds (any epoch) to RTP clock units, wrapping
    /// as RTP timestamps do; for the `arrival` argument of `record`.
    public static func clockUnits(nanoseconds: UInt64, clockRate: Int) -> UInt32 {
        let rate = UInt64(max(1, clockRate))
        let seconds = nanoseconds / 1_000_000_000
        let remainder = nanoseconds % 1_000_000_000
        return UInt32(truncatingIfNeeded: seconds &* rate &+ remainder * rate / 1_000_000_000)
    }
}
