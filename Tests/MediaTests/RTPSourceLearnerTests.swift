import Media
import Testing

/// `RTPSourceLearner` alone, fed packet sequences from named sources.
@Suite struct RTPSourceLearnerTests {
    /// A source: host and port.
    struct Peer: RTPSourceAddress {
        var host: Int
        var port: Int
        func sameHost(as other: Peer) -> Bool { host == other.host }
    }

    static let phone = Peer(host: 1, port: 4000)
    static let phoneNAT = Peer(host: 7, port: 61000)
    static let attacker = Peer(host: 9, port: 5555)
    static let ms: UInt64 = 1_000_000

    /// Feeds `count` packets of one stream, 20 ms apart; returns the verdicts.
    static func feed(_ learner: inout RTPSourceLearner<Peer>, from source: Peer, ssrc: UInt32 = 0x1234,
                     firstSequence: UInt16 = 100, count: Int, startMs: UInt64 = 0, stepMs: UInt64 = 20) -> [RTPSourceLearner<Peer>.Verdict] {
        (0..<count).map { index in
            learner.admit(source, ssrc: ssrc, sequence: firstSequence &+ UInt16(index),
                          now: (startMs + UInt64(index) * stepMs) * ms)
        }
    }

    @Test func theSDPAddressIsTakenOnItsFirstPacket() {
        var learner = RTPSourceLearner<Peer>(probation: 4, learnsAnySource: true)
        learner.reset(signalled: Self.phone)
        #expect(Self.feed(&learner, from: Self.phone, count: 2) == [.learned, .accept])
        #expect(learner.current == Self.phone)
    }

    @Test func aNATSourceIsLearntAfterProbationOnly() {
        var learner = RTPSourceLearner<Peer>(probation: 4, learnsAnySource: true)
        learner.reset(signalled: Peer(host: 192, port: 4000))
        #expect(Self.feed(&learner, from: Self.phoneNAT, count: 5) == [.drop, .drop, .drop, .learned, .accept])
    }

    @Test func aBrokenSequenceOrSSRCRestartsProbation() {
        var learner = RTPSourceLearner<Peer>(probation: 3, learnsAnySource: true)
        learner.reset(signalled: nil)
        #expect(learner.admit(Self.phoneNAT, ssrc: 1, sequence: 10, now: 0) == .drop)
        #expect(learner.admit(Self.phoneNAT, ssrc: 1, sequence: 12, now: 1) == .drop)  // gap: restart
        #expect(learner.admit(Self.phoneNAT, ssrc: 2, sequence: 13, now: 2) == .drop)  // new SSRC: restart
        #expect(learner.admit(Self.phoneNAT, ssrc: 2, sequence: 14, now: 3) == .drop)
        #expect(learner.admit(Self.phoneNAT, ssrc: 2, sequence: 15, now: 4) == .learned)
    }

    @Test func interleavedSourcesNeverFinishProbation() {
        var learner = RTPSourceLearner<Peer>(probation: 2, learnsAnySource: true)
        learner.reset(signalled: nil)
        for index in 0..<20 {
            let source = index.isMultiple(of: 2) ? Self.phoneNAT : Self.attacker
            #expect(learner.admit(source, ssrc: 5, sequence: UInt16(index), now: UInt64(index)) == .drop)
        }
        #expect(learner.current == nil)
    }

    @Test func aBurstFromAnotherSourceCannotHijackALiveStream() {
        var learner = RTPSourceLearner<Peer>(probation: 4, learnsAnySource: true)
        learner.reset(signalled: Self.phone)
        _ = Self.feed(&learner, from: Self.phone, count: 10)
        // 150 valid-looking packets in 1 ms steps while the phone is live.
        let burst = Self.feed(&learner, from: Self.attacker, ssrc: 99, count: 150, startMs: 200, stepMs: 0)
        #expect(burst.allSatisfy { $0 == .drop })
        #expect(learner.admit(Self.phone, ssrc: 0x1234, sequence: 110, now: 201 * Self.ms) == .accept)
        #expect(learner.current == Self.phone)
    }

    @Test func theSDPAddressTakesTheLatchFromAStrangerWhoRacedIt() {
        var learner = RTPSourceLearner<Peer>(probation: 4, learnsAnySource: true)
        learner.reset(signalled: Self.phone)
        // A stranger streams before the phone's first packet and passes probation.
        #expect(Self.feed(&learner, from: Self.attacker, ssrc: 99, count: 6, stepMs: 1).last == .accept)
        #expect(learner.current == Self.attacker)
        #expect(learner.admit(Self.phone, ssrc: 0x1234, sequence: 1, now: 10 * Self.ms) == .learned)
        #expect(Self.feed(&learner, from: Self.attacker, ssrc: 99, firstSequence: 6, count: 20, startMs: 11, stepMs: 1)
            .allSatisfy { $0 == .drop })
    }

    @Test func aSustainedNewSourceReplacesASilentOne() {
        var learner = RTPSourceLearner<Peer>(probation: 4, learnsAnySource: true)
        learner.reset(signalled: Self.phone)
        _ = Self.feed(&learner, from: Self.phone, count: 5)  // last packet at 80 ms
        // The NAT binding changes: a new source streams; it takes over once the old one is silent for 1 s.
        let verdicts = Self.feed(&learner, from: Self.phoneNAT, ssrc: 0x1234, firstSequence: 105, count: 60, startMs: 100)
        let learnt = verdicts.firstIndex(of: .learned)
        #expect(learnt.map { 100 + UInt64($0) * 20 >= 1_080 } == true, "learnt at packet \(String(describing: learnt))")
        #expect(learner.current == Self.phoneNAT)
        #expect(learner.admit(Self.attacker, ssrc: 0x1234, sequence: 300, now: 1_290 * Self.ms) == .drop)
        // The SDP address speaking again takes the latch back at once.
        #expect(learner.admit(Self.phone, ssrc: 0x1234, sequence: 301, now: 1_300 * Self.ms) == .learned)
    }

    @Test func withoutNATOnlyTheSDPHostIsEverTaken() {
        var learner = RTPSourceLearner<Peer>(probation: 2, learnsAnySource: false)
        learner.reset(signalled: Self.phone)
        #expect(!learner.mayAdmit(Self.attacker))
        #expect(Self.feed(&learner, from: Self.attacker, count: 10).allSatisfy { $0 == .drop })
        // Another port on the phone's IP (a non-symmetric phone) after probation.
        let otherPort = Peer(host: 1, port: 4002)
        #expect(Self.feed(&learner, from: otherPort, count: 2) == [.drop, .learned])
    }

    @Test func aNewSDPAddressForgetsTheLatch() {
        var learner = RTPSourceLearner<Peer>(probation: 4, learnsAnySource: false)
        learner.reset(signalled: Self.phone)
        _ = Self.feed(&learner, from: Self.phone, count: 3)
        let moved = Peer(host: 2, port: 4000)
        learner.reset(signalled: moved)
        #expect(learner.current == nil)
        #expect(!learner.mayAdmit(Self.phone))
        #expect(learner.admit(moved, ssrc: 1, sequence: 1, now: 0) == .learned)
    }

    @Test func nothingIsTakenWithoutAnAddressUnlessLearningIsAllowed() {
        var strict = RTPSourceLearner<Peer>(probation: 1, learnsAnySource: false)
        strict.reset(signalled: nil)
        #expect(strict.admit(Self.phone, ssrc: 1, sequence: 1, now: 0) == .drop)
        var nat = RTPSourceLearner<Peer>(probation: 1, learnsAnySource: true)
        nat.reset(signalled: nil)
        #expect(nat.admit(Self.phone, ssrc: 1, sequence: 1, now: 0) == .learned)
    }
}
