import Testing
@testable import RTP

/// Sender information for SRs (RFC 3550 §6.4.1).
@Suite struct RTPSendStatisticsTests {
    @Test func countsAndExtrapolatesTheRTPTimestamp() throws {
        var stats = RTPSendStatistics(clockRate: 48_000)
        let start = NTPTimestamp(unixNanoseconds: 1_700_000_000_000_000_000)
        let beforeSending = stats.makeSenderInfo(now: start)
        #expect(beforeSending == nil)
        for frame in 0..<50 {
            let time = NTPTimestamp(rawValue: start.rawValue + UInt64(frame) * (UInt64(1) << 32) / 50)
            stats.record(payloadSize: 60, rtpTimestamp: 1000 &+ UInt32(frame) * 960, at: time)
        }
        // 30 ms after the last packet: 1.44 periods of 20 ms → +1440 ticks.
        let now = NTPTimestamp(rawValue: stats.lastSendTime.rawValue + (UInt64(3) << 32) / 100)
        let made = stats.makeSenderInfo(now: now)
        let info = try #require(made)
        #expect(info.packetCount == 50)
        #expect(info.octetCount == 3000)
        #expect(info.ntpTimestamp == now)
        let expected: UInt32 = 1000 + 49 * 960 + 1440
        #expect(info.rtpTimestamp == expected || info.rtpTimestamp == expected - 1)
    }

    @Test func becomesAReceiverAfterTwoSilentReports() {
        var stats = RTPSendStatistics(clockRate: 8000)
        stats.record(payloadSize: 160, rtpTimestamp: 0, at: NTPTimestamp(seconds: 1, fraction: 0))
        let first = stats.makeSenderInfo(now: NTPTimestamp(seconds: 6, fraction: 0))
        let second = stats.makeSenderInfo(now: NTPTimestamp(seconds: 11, fraction: 0))
        let third = stats.makeSenderInfo(now: NTPTimestamp(seconds: 16, fraction: 0))
        #expect(first != nil && second != nil)
        #expect(third == nil)
        #expect(!stats.isActiveSender)
    }
}
