import Testing
@testable import RTP

/// Round-trip time from LSR/DLSR (RFC 3550 §6.4.1), NTP helpers and the MOS estimate.
@Suite struct RoundTripTimeAndMOSTests {
    @Test func rfc3550ExampleGivesSixPointOneTwoFiveSeconds() throws {
        // A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 → 0x0006:2000.
        let arrival = NTPTimestamp(seconds: 0xb44d_b710, fraction: 0x8000_0000)
        #expect(sampleBlock.roundTripTimeCompact(arrival: arrival) == 0x0006_2000)
        #expect(sampleBlock.roundTripTime(arrival: arrival) == .milliseconds(6125))
    }

    @Test func noLSRMeansNoRoundTripTime() {
        let block = RTCPReportBlock(ssrc: 1)
        #expect(block.roundTripTime(arrival: NTPTimestamp(seconds: 5, fraction: 0)) == nil)
    }

    @Test func negativeRoundTripIsRejected() {
        let arrival = NTPTimestamp(seconds: 0xb44d_b709, fraction: 0)
        #expect(sampleBlock.roundTripTime(arrival: arrival) == nil)
    }

    @Test func roundTripAcrossTheCompactWrap() throws {
        // LSR just before the middle 32 bits wrap (0xffff:f000, 62.5 ms before),
        // the report arrives after it (0x0000:4000): 0x5000 units − DLSR 0x2000 = 0x3000.
        let block = RTCPReportBlock(ssrc: 1, lastSenderReport: 0xffff_f000, delaySinceLastSenderReport: 0x0000_2000)
        let arrival = NTPTimestamp(seconds: 0x0001_0000, fraction: 0x4000_0000)
        #expect(arrival.compact == 0x0000_4000)
        #expect(block.roundTripTimeCompact(arrival: arrival) == 0x3000)
        #expect(block.roundTripTime(arrival: arrival) == .microseconds(187_500))
        // The NTP seconds wrapping (era 0 → era 1, Feb 2036) is the same compact wrap.
        let eraEnd = RTCPReportBlock(ssrc: 1, lastSenderReport: 0xffff_ff00, delaySinceLastSenderReport: 0x80)
        #expect(eraEnd.roundTripTimeCompact(arrival: NTPTimestamp(seconds: 0, fraction: 0x0080_0000)) == 0x100)
    }

    @Test func aDelayRoundedUpByTheReporterIsZeroNotMissing() {
        // On loopback the true round trip is microseconds; a reporter that counts
        // DLSR in milliseconds (libre, baresip) overstates it by up to 1 ms (66
        // units), so A − LSR − DLSR comes out a little below zero.
        let block = RTCPReportBlock(ssrc: 1, lastSenderReport: 0x1234_0000, delaySinceLastSenderReport: 0x0001_0042)
        let arrival = NTPTimestamp(seconds: 0x0000_1235, fraction: 0)
        #expect(block.roundTripTimeCompact(arrival: arrival) == 0)
        #expect(block.roundTripTime(arrival: arrival) == .zero)
    }

    @Test func ntpConversions() {
        let epoch = NTPTimestamp(unixNanoseconds: 0)
        #expect(epoch.seconds == 2_208_988_800 && epoch.fraction == 0)
        let later = NTPTimestamp(unixNanoseconds: 1_500_000_000)
        #expect(later.fraction == 0x8000_0000)
        #expect(later.nanoseconds(since: epoch) == 1_500_000_000)
        #expect(epoch.nanoseconds(since: later) == -1_500_000_000)
        #expect(NTPTimestamp.compactUnits(.milliseconds(1500)) == 98_304)
        #expect(NTPTimestamp.duration(compactUnits: 98_304) == .milliseconds(1500))
        #expect(NTPTimestamp(seconds: 0x1234_5678, fraction: 0x9abc_def0).compact == 0x5678_9abc)
    }

    @Test func perfectNetworkScoresNarrowbandMaximum() {
        let estimate = MOSEstimate(lossRatio: 0, jitter: .zero, roundTripTime: .zero)
        #expect(abs(estimate.rFactor - 92.6) < 1e-9)
        #expect(estimate.mos > 4.3 && estimate.mos < 4.5)
    }

    @Test func lossAndDelayLowerTheScore() {
        let clean = MOSEstimate(lossRatio: 0, jitter: .milliseconds(5), roundTripTime: .milliseconds(100)).mos
        let lossy = MOSEstimate(lossRatio: 0.05, jitter: .milliseconds(5), roundTripTime: .milliseconds(100)).mos
        let slow = MOSEstimate(lossRatio: 0, jitter: .milliseconds(5), roundTripTime: .milliseconds(600)).mos
        let awful = MOSEstimate(lossRatio: 0.5, jitter: .milliseconds(80), roundTripTime: .milliseconds(1200)).mos
        #expect(lossy < clean && slow < clean)
        #expect((3.5...4.2).contains(lossy))        // R ≈ 93.2 − 1.9 − 95·5/30.1 ≈ 75.5
        #expect(awful < 2)
        #expect(awful >= 1)
    }

    @Test func mosFromRMatchesG107AnnexB() {
        #expect(MOSEstimate.mos(rFactor: 0) == 1)
        #expect(MOSEstimate.mos(rFactor: 100) == 4.5)
        #expect(abs(MOSEstimate.mos(rFactor: 50) - 2.575) < 1e-9)  // 1 + 1.75 − 0.175
    }
}
