import Media
import NIOCore
import Testing

/// The media clock: the system default follows the monotonic clock, an injected
/// one is what every reading returns, and a timer delay never goes negative.
@Suite struct MediaClockTests {
    @Test func systemClockFollowsTheMonotonicClock() {
        let before = NIODeadline.now()
        let reading = MediaClock.system.now()
        #expect(reading >= before && reading <= NIODeadline.now())
    }

    @Test func injectedClockIsWhatIsRead() {
        let clock = AdvancingClock()
        let start = clock.media.now()
        clock.advance(by: .seconds(90))
        let later = clock.media.now()
        #expect(later - start >= .seconds(90) && later - start < .seconds(91))
        #expect(clock.media.uptimeNanoseconds() >= later.uptimeNanoseconds)
    }

    @Test func delayUntilAPassedDeadlineIsZero() {
        let clock = AdvancingClock()
        let deadline = clock.media.now() + .seconds(2)
        #expect(clock.media.delay(until: deadline) > .seconds(1))
        clock.advance(by: .seconds(3))
        #expect(clock.media.delay(until: deadline) == .zero)
    }
}
