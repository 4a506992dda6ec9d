// `wagate_permission_requests_total{number,kind,outcome}`: what became of each
// call permission request wagate wanted to send. A lock around plain counts,
// shared between call control (which counts) and `/metrics` (which reads).

import Synchronization

/// Permission requests by business number, kind and outcome.
public final class PermissionRequestCounters: Sendable {
    /// What became of a request.
    public enum Outcome: String, Sendable, CaseIterable {
        /// Meta accepted it.
        case sent
        /// Not sent: Meta's request limits for the user (wagate's count or Meta's 138009).
        case limited
        /// Meta refused it, or it could not be sent.
        case failed
        /// Not sent: no window open and no `permission_template` configured.
        case noTemplate = "no_template"
    }

    private struct Key: Hashable {
        var number: String
        var kind: PermissionRequestKind
        var outcome: Outcome
    }

    private let counts = Mutex([Key: Int]())

    /// Creates zeroed counters.
    public init() {}

    /// Counts one request of `kind` for the number called `number`.
    public func count(number: String, kind: PermissionRequestKind, outcome: Outcome) {
        counts.withLock { $0[Key(number: number, kind: kind, outcome: outcome), default: 0] += 1 }
    }

    /// The count so far.
    public func value(number: String, kind: PermissionRequestKind, outcome: Outcome) -> Int {
        counts.withLock { $0[Key(number: number, kind: kind, outcome: outcome)] ?? 0 }
    }

    /// The counter in the Prometheus text format, one series per number, kind and outcome.
    public func exposition(numberNames: [String]) -> String {
        let snapshot = counts.withLock { $0 }
        var text = "# HELP wagate_permission_requests_total Call permission requests by kind "
            + "(interactive|template) and outcome (sent|limited|failed|no_template)\n"
        text += "# TYPE wagate_permission_requests_total counter\n"
        for name in numberNames {
            for kind in PermissionRequestKind.allCases {
                for outcome in Outcome.allCases {
                    let count = snapshot[Key(number: name, kind: kind, outcome: outcome)] ?? 0
                    text += "wagate_permission_requests_total{number=\"\(name)\",kind=\"\(kind.rawValue)\","
                        + "outcome=\"\(outcome.rawValue)\"} \(count)\n"
                }
            }
        }
        return text
    }
}
