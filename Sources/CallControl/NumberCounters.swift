// Counters about business numbers, shared between call control (which counts)
// and whoever renders `/metrics` (which reads). A lock around plain counts.

import Synchronization

/// `wagate_webhook_unknown_number_total` and `wagate_number_limit_total`.
public final class NumberCounters: Sendable {
    /// Which per-number limit refused a call.
    public enum Limit: String, Sendable, CaseIterable {
        /// The number's `max_calls`.
        case calls
        /// The number's `call_rate`.
        case rate
    }

    private struct Counts {
        var unknownNumberWebhooks = 0
        var sipModeCallWebhooks = 0
        var refusals: [String: [Limit: Int]] = [:]
    }

    private let counts = Mutex(Counts())
    /// `wagate_meta_recordings_total`, rendered with these counters.
    public let metaArtifacts = MetaArtifactCounters()
    private let numberNames: Mutex<[String]>
    /// `wagate_permission_requests_total`, rendered with the others.
    public let permissionRequests = PermissionRequestCounters()
    /// `wagate_admission_refused_total`, rendered with the others.
    public let mediaLoadRefusals = MediaLoadRefusals()

    /// Creates zeroed counters for the business numbers called `numberNames` (the metric's `number` label).
    public init(numberNames: [String] = []) {
        self.numberNames = Mutex(numberNames)
    }

    /// Renders the counters of `names` too from now on, at zero until counted
    /// (numbers served after start: onboarded, or added by a reload).
    public func addNumberNames(_ names: [String]) {
        numberNames.withLock { known in
            known += names.filter { !known.contains($0) }
        }
    }

    /// A webhook named a phone_number_id that is not configured.
    public func countUnknownNumberWebhook() {
        counts.withLock { $0.unknownNumberWebhooks += 1 }
    }

    /// A `calls` webhook for a SIP-mode number was ignored.
    public func countSIPModeCallWebhook() {
        counts.withLock { $0.sipModeCallWebhooks += 1 }
    }

    /// Calls webhooks ignored because their number is in SIP mode, so far.
    public var sipModeCallWebhooks: Int { counts.withLock { $0.sipModeCallWebhooks } }

    /// A call to or from `number` was refused by its own `limit`.
    public func countRefusal(number: String, limit: Limit) {
        counts.withLock { $0.refusals[number, default: [:]][limit, default: 0] += 1 }
    }

    /// Webhooks for numbers that are not configured, so far.
    public var unknownNumberWebhooks: Int { counts.withLock { $0.unknownNumberWebhooks } }

    /// Refusals of `number` by `limit`, so far.
    public func refusals(number: String, limit: Limit) -> Int {
        counts.withLock { $0.refusals[number]?[limit] ?? 0 }
    }

    /// Both counters in the Prometheus text format (0.0.4).
    public func exposition() -> [UInt8] {
        let snapshot = counts.withLock { $0 }
        let numberNames = self.numberNames.withLock { $0 }
        var text = "# HELP wagate_webhook_unknown_number_total Call webhooks for a phone_number_id not configured (acknowledged, nothing rung)\n"
        text += "# TYPE wagate_webhook_unknown_number_total counter\n"
        text += "wagate_webhook_unknown_number_total \(snapshot.unknownNumberWebhooks)\n"
        text += "# HELP wagate_webhook_sip_mode_calls_total Call webhooks for a SIP-mode number (acknowledged, ignored: the SIP dialog decides)\n"
        text += "# TYPE wagate_webhook_sip_mode_calls_total counter\n"
        text += "wagate_webhook_sip_mode_calls_total \(snapshot.sipModeCallWebhooks)\n"
        text += "# HELP wagate_number_limit_total Calls refused by a business number's max_calls or call_rate\n"
        text += "# TYPE wagate_number_limit_total counter\n"
        for name in numberNames {
            for limit in Limit.allCases {
                let count = snapshot.refusals[name]?[limit] ?? 0
                text += "wagate_number_limit_total{number=\"\(name)\",limit=\"\(limit.rawValue)\"} \(count)\n"
            }
        }
        text += permissionRequests.exposition(numberNames: numberNames)
        text += mediaLoadRefusals.exposition()
        return Array(text.utf8) + metaArtifacts.exposition()
    }
}
