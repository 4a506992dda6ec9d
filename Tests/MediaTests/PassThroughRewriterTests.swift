import Testing
@testable import Media

/// The numbering of forwarded Opus and RFC 4733 events: gaps kept, wrap-around at
/// 65535 and 2³², a new incoming SSRC restarting with a marker, events deduplicated.
@Suite struct PassThroughRewriterTests {
    /// Feeds incoming (sequence, timestamp) pairs and returns the numbers sent
    /// (the caller adds one to the sequence per packet sent, as the forwarders do).
    func run(_ packets: [(UInt16, UInt32)], startSequence: UInt16 = 100, startTimestamp: UInt32 = 5_000) -> [(UInt16, UInt32)] {
        var rewriter = PassThroughRewriter()
        var sequence = startSequence, timestamp = startTimestamp
        var sent: [(UInt16, UInt32)] = []
        for (inSequence, inTimestamp) in packets {
            _ = rewriter.follow(sequence: inSequence, timestamp: inTimestamp, outSequence: &sequence, outTimestamp: &timestamp)
            sent.append((sequence, timestamp))
            sequence &+= 1
        }
        return sent
    }

    @Test func consecutivePacketsKeepOurBase() {
        let sent = run([(7, 1_000), (8, 1_960), (9, 2_920)])
        #expect(sent.map(\.0) == [100, 101, 102])
        #expect(sent.map(\.1) == [5_000, 5_960, 6_920])
    }

    @Test func aGapIsKeptSoTheReceiverSeesTheLoss() {
        let sent = run([(7, 1_000), (10, 3_880)])
        #expect(sent.map(\.0) == [100, 103])
        #expect(sent.map(\.1) == [5_000, 7_880])
    }

    @Test func sequenceAndTimestampWrapAround() {
        let sent = run([(65_534, UInt32.max - 959), (65_535, UInt32.max &+ 1), (1, 1_920)],
                       startSequence: 65_535, startTimestamp: UInt32.max - 100)
        #expect(sent.map(\.0) == [65_535, 0, 2])
        #expect(sent.map(\.1) == [UInt32.max - 100, (UInt32.max - 100) &+ 960, (UInt32.max - 100) &+ 2_880])
    }

    @Test func aNewIncomingSSRCRestartsWithAMarkerAndOneFrame() {
        var rewriter = PassThroughRewriter()
        var sequence: UInt16 = 10, timestamp: UInt32 = 0
        #expect(!rewriter.follow(sequence: 500, timestamp: 90_000, ssrc: 1, outSequence: &sequence, outTimestamp: &timestamp))
        sequence &+= 1
        #expect(rewriter.follow(sequence: 7, timestamp: 12, ssrc: 2, outSequence: &sequence, outTimestamp: &timestamp))
        #expect(sequence == 11 && timestamp == 960)
        sequence &+= 1
        #expect(!rewriter.follow(sequence: 8, timestamp: 972, ssrc: 2, outSequence: &sequence, outTimestamp: &timestamp))
        #expect(sequence == 12 && timestamp == 1_920)
    }

    @Test func eventsAreForwardedOncePerPacketWithAtMostThreeEnds() {
        var rewriter = PassThroughRewriter()
        #expect(rewriter.event(timestamp: 800, end: false, outTimestamp: 40) == .forward(marker: true, start: 40, newDigit: false))
        #expect(rewriter.event(timestamp: 800, end: false, outTimestamp: 1_000) == .forward(marker: false, start: 40, newDigit: false))
        #expect(rewriter.event(timestamp: 800, end: true, outTimestamp: 2_000) == .forward(marker: false, start: 40, newDigit: true))
        #expect(rewriter.event(timestamp: 800, end: true, outTimestamp: 2_000) == .forward(marker: false, start: 40, newDigit: false))
        #expect(rewriter.event(timestamp: 800, end: true, outTimestamp: 2_000) == .forward(marker: false, start: 40, newDigit: false))
        #expect(rewriter.event(timestamp: 800, end: true, outTimestamp: 2_000) == .drop, "a fourth end packet")
        #expect(rewriter.event(timestamp: 700, end: false, outTimestamp: 3_000) == .drop, "an older event")
        #expect(rewriter.event(timestamp: 1_600, end: true, outTimestamp: 3_000) == .forward(marker: true, start: 3_000, newDigit: true))
    }

    @Test func eventTimestampsWrapAround() {
        var rewriter = PassThroughRewriter()
        _ = rewriter.event(timestamp: UInt32.max - 10, end: true, outTimestamp: 0)
        #expect(rewriter.event(timestamp: 5, end: false, outTimestamp: 9) == .forward(marker: true, start: 9, newDigit: false))
    }
}
