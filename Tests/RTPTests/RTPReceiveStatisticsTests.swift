import Testing
@testable import RTP

/// RFC 3550 Appendix A.1 (sequence), A.3 (loss) and A.8 (jitter).
@Suite struct RTPReceiveStatisticsTests {
    /// Feeds packets 20 ms apart at 8 kHz with a constant transit of 1000 ticks.
    private func feed(_ stats: inout RTPReceiveStatistics, _ sequences: some Sequence<UInt16>) {
        for sequence in sequences {
            let timestamp = UInt32(sequence) &* 160
            stats.record(sequenceNumber: sequence, timestamp: timestamp, arrival: timestamp &+ 1000)
        }
    }

    @Test func probationHoldsTheFirstPacket() {
        var stats = RTPReceiveStatistics(ssrc: 1)
        let first = stats.record(sequenceNumber: 100, timestamp: 0, arrival: 0)
        #expect(!first)
        #expect(!stats.isValid)
        let second = stats.record(sequenceNumber: 101, timestamp: 160, arrival: 160)
        #expect(second)
        #expect(stats.isValid)
        #expect(stats.packetsReceived == 1)
        #expect(stats.expectedPackets == 1)
    }

    @Test func minSequentialOfOneAcceptsTheFirstPacket() {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        let accepted = stats.record(sequenceNumber: 7, timestamp: 0, arrival: 0)
        #expect(accepted)
        #expect(stats.expectedPackets == 1 && stats.cumulativeLost == 0)
    }

    @Test func sequenceWrapsAt65535IntoTheExtendedHighest() {
        var stats = RTPReceiveStatistics(ssrc: 1)
        feed(&stats, [65_530, 65_531, 65_532, 65_533, 65_534, 65_535, 0, 1, 2, 3, 4, 5])
        #expect(stats.extendedHighestSequence == 65_536 + 5)
        // Probation consumed 65530; counting starts at 65531.
        #expect(stats.expectedPackets == 11)
        #expect(stats.packetsReceived == 11)
        #expect(stats.cumulativeLost == 0)
        let block = stats.makeReportBlock(now: NTPTimestamp(rawValue: 0))
        #expect(block?.extendedHighestSequence == 0x0001_0005)
    }

    @Test func knownLossesGiveCumulativeAndFractionLost() throws {
        var stats = RTPReceiveStatistics(ssrc: 0x55, minSequential: 1)
        feed(&stats, (0..<100).filter { ![10, 20, 21, 50].contains($0) })
        let firstBlock = stats.makeReportBlock(now: NTPTimestamp(rawValue: 0))
        let first = try #require(firstBlock)
        #expect(first.cumulativeLost == 4)
        #expect(first.fractionLost == 10)            // (4 << 8) / 100 = 10.24
        #expect(first.extendedHighestSequence == 99)
        #expect(first.ssrc == 0x55)

        feed(&stats, (100..<200).filter { ![120, 150, 180].contains($0) })
        let secondBlock = stats.makeReportBlock(now: NTPTimestamp(rawValue: 0))
        let second = try #require(secondBlock)
        #expect(second.cumulativeLost == 7)
        #expect(second.fractionLost == 7)            // (3 << 8) / 100 = 7.68
        #expect(abs(stats.lossRatio - 0.035) < 1e-9)
    }

    @Test func duplicatesMakeTheIntervalFractionZero() throws {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        feed(&stats, 0..<10)
        _ = stats.makeReportBlock(now: NTPTimestamp(rawValue: 0))
        feed(&stats, [10, 10, 11, 11, 13])
        let made = stats.makeReportBlock(now: NTPTimestamp(rawValue: 0))
        let block = try #require(made)
        #expect(block.fractionLost == 0)
        #expect(block.cumulativeLost == -1)          // 14 expected, 15 received
    }

    @Test func largeJumpNeedsASecondPacketToRestart() {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        feed(&stats, 0..<5)
        let jump = stats.record(sequenceNumber: 20_000, timestamp: 0, arrival: 0)
        let confirm = stats.record(sequenceNumber: 20_001, timestamp: 160, arrival: 160)
        #expect(!jump)
        #expect(confirm)
        #expect(stats.extendedHighestSequence == 20_001)
        #expect(stats.expectedPackets == 1)
    }

    @Test func lateReorderedPacketsCountButDoNotMoveTheHighest() {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        feed(&stats, [0, 1, 3, 4, 2])
        #expect(stats.extendedHighestSequence == 4)
        #expect(stats.cumulativeLost == 0)
    }

    @Test func constantTransitGivesZeroJitter() {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        feed(&stats, 0..<500)
        #expect(stats.jitter == 0)
    }

    @Test func alternatingTransitConvergesToItsSwing() {
        // Transit alternates 0 / 100 ticks: |D| = 100 for every pair, so
        // J → 100 (RFC 3550 A.8; the integer form settles within one tick).
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        for sequence in UInt16(0)..<400 {
            let timestamp = UInt32(sequence) * 160
            stats.record(sequenceNumber: sequence, timestamp: timestamp, arrival: timestamp + (sequence % 2 == 0 ? 0 : 100))
        }
        #expect((99...100).contains(stats.jitter))
        #expect(stats.jitter(clockRate: 8000) >= .microseconds(12_375))
        #expect(stats.jitter(clockRate: 8000) <= .microseconds(12_500))
    }

    @Test func firstJitterStepIsOneSixteenth() {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        stats.record(sequenceNumber: 0, timestamp: 0, arrival: 0)
        stats.record(sequenceNumber: 1, timestamp: 160, arrival: 160 + 320)
        #expect(stats.jitter == 20)                  // 320 / 16
    }

    @Test func reportBlockCarriesLSRAndDLSR() throws {
        var stats = RTPReceiveStatistics(ssrc: 1, minSequential: 1)
        feed(&stats, 0..<3)
        let arrival = NTPTimestamp(seconds: 1000, fraction: 0)
        stats.recordSenderReport(sampleSenderInfo, arrival: arrival)
        let now = NTPTimestamp(seconds: 1005, fraction: 0x4000_0000)    // 5.25 s later
        let made = stats.makeReportBlock(now: now)
        let block = try #require(made)
        #expect(block.lastSenderReport == 0xb705_2000)
        #expect(block.delaySinceLastSenderReport == 0x0005_4000)
    }

    @Test func arrivalClockConversion() {
        #expect(RTPReceiveStatistics.clockUnits(nanoseconds: 1_500_000_000, clockRate: 48_000) == 72_000)
        #expect(RTPReceiveStatistics.clockUnits(nanoseconds: 20_000_000, clockRate: 8_000) == 160)
    }
}
