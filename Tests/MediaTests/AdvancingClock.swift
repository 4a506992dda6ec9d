import Media
import NIOCore
import Synchronization

/// A media clock for tests: the host's monotonic time plus whatever the test
/// has skipped with `advance(by:)`. Media keeps flowing in real time, and a
/// timeout (RTP inactivity, consent, setup) or an RTCP interval is reached by
/// skipping ahead instead of waiting it out.
final class AdvancingClock: Sendable {
    private let skipped = Atomic<Int64>(0)

    /// The `MediaClock` that reads this clock.
    var media: MediaClock {
        MediaClock { [self] in NIODeadline.now() + .nanoseconds(skipped.load(ordering: .relaxed)) }
    }

    /// Moves the clock forward by `amount`.
    func advance(by amount: Duration) {
        let (seconds, attoseconds) = amount.components
        skipped.add(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
    }
}
