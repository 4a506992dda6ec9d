// Admission by measured media load: the media side reports how busy the loop a
// new call would go to is; call control refuses new calls above
// `[media] admission_max_busy`, so the calls already up keep their quality.

import Config
import Synchronization

/// The media side's measured load, read when a new call asks to be admitted.
public protocol MediaHeadroom: Sendable {
    /// The busy ratio (thread CPU time per wall time, 0 idle, 1 saturated) of the
    /// media event loop a new call would go to: the least busy one.
    func busyRatio() -> Double
}

/// `wagate_admission_refused_total`: new calls refused for media load, by direction.
public final class MediaLoadRefusals: Sendable {
    private let counts = Mutex<[BridgeDirection: Int]>([:])

    /// Zeroed counters.
    public init() {}

    /// A call of `direction` was refused because the media loops were too busy.
    public func count(_ direction: BridgeDirection) {
        counts.withLock { $0[direction, default: 0] += 1 }
    }

    /// Refusals of `direction` so far.
    public func refusals(_ direction: BridgeDirection) -> Int {
        counts.withLock { $0[direction] ?? 0 }
    }

    /// The counter in the Prometheus text format (0.0.4), every direction at zero until counted.
    public func exposition() -> String {
        let snapshot = counts.withLock { $0 }
        var text = "# HELP wagate_admission_refused_total New calls refused by measured load (reason media_load: [media] admission_max_busy)\n"
        text += "# TYPE wagate_admission_refused_total counter\n"
        for direction in BridgeDirection.allCases {
            let count = snapshot[direction] ?? 0
            text += "wagate_admission_refused_total{reason=\"media_load\",direction=\"\(direction.rawValue)\"} \(count)\n"
        }
        return text
    }
}

extension Admission {
    /// Seconds a SIP caller refused for media load is asked to wait (`Retry-After`):
    /// a loaded gateway frees media only as calls end, which takes far longer than
    /// one measurement window.
    public static let loadRetryAfter = 5

    /// 503 with Retry-After while the least busy media loop's measured `busy` ratio is
    /// at or above `[media] admission_max_busy`; nil below it or when the key is off.
    public func loadRefusal(busy: Double) -> SIPRefusal? {
        guard let maximum = config.media.admissionMaxBusy, busy >= maximum else { return nil }
        let percent = Int((busy * 100).rounded())
        return SIPRefusal(.limit, SIPResponse(
            status: 503, warning: "media load \(percent)% at or above admission_max_busy",
            reason: FailureMapping.sipReason(503, "Media overload"), retryAfter: Self.loadRetryAfter))
    }
}

extension CallControl {
    /// The refusal of a new call of `direction` while the media loops are too busy
    /// (counted in ``MediaLoadRefusals``); nil when there is headroom or no measurement.
    func mediaLoadRefusal(_ direction: BridgeDirection) -> SIPRefusal? {
        guard let headroom = ports.headroom, let refusal = admission.loadRefusal(busy: headroom.busyRatio()) else {
            return nil
        }
        counters.mediaLoadRefusals.count(direction)
        return refusal
    }
}
