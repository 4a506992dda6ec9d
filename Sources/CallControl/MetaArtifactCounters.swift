// `wagate_meta_recordings_total{kind,status}`: Meta-side recordings and
// transcriptions requested, and what became of Meta's results.

public import NetTypes
import Synchronization

/// Counts of Meta recording/transcription requests and results.
public final class MetaArtifactCounters: Sendable {
    /// The `status` label values, in exposition order.
    public static let statuses = ["requested", "available", "empty", "pending", "unknown_call"]

    private let counts = Mutex([String: Int]())

    /// Creates zeroed counters.
    public init() {}

    /// One more `kind` with `status`.
    public func count(_ kind: MetaArtifactKind, status: String) {
        counts.withLock { $0["\(kind.rawValue)/\(status)", default: 0] += 1 }
    }

    /// The count so far.
    public func value(_ kind: MetaArtifactKind, status: String) -> Int {
        counts.withLock { $0["\(kind.rawValue)/\(status)"] ?? 0 }
    }

    /// The counter in the Prometheus text format (0.0.4), every label pair present.
    public func exposition() -> [UInt8] {
        let snapshot = counts.withLock { $0 }
        var text = "# HELP wagate_meta_recordings_total Meta-side recordings and transcriptions requested, "
            + "and Meta's results by what became of them\n# TYPE wagate_meta_recordings_total counter\n"
        for kind in MetaArtifactKind.allCases {
            for status in Self.statuses {
                let count = snapshot["\(kind.rawValue)/\(status)"] ?? 0
                text += "wagate_meta_recordings_total{kind=\"\(kind.rawValue)\",status=\"\(status)\"} \(count)\n"
            }
        }
        return Array(text.utf8)
    }
}
