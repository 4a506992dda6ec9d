import Foundation
public import Logging
import Synchronization

/// What a failed storage write or read was doing; the `operation` label of
/// `wagate_storage_errors_total`.
public enum StoreOperation: String, Sendable, CaseIterable {
    /// Storing a webhook delivery and its event keys.
    case webhookRecord = "webhook_record"
    /// Marking webhook events as handled by call control.
    case webhookProcessed = "webhook_processed"
    /// Reading stored-but-unhandled webhook events at start.
    case webhookReplay = "webhook_replay"
    /// Writing a call detail record.
    case callSave = "call_save"
    /// Writing a user's registrations.
    case registrationSave = "registration_save"
    /// A retention sweep (pruning records, scrubbing bodies).
    case retention
    /// A cluster operation: a lease, a call's owner, call slots.
    case cluster
}

/// Counts storage failures per operation and logs them at most once per
/// ``logInterval`` per operation, so a full disk gives one line every few
/// seconds instead of one per webhook or call update.
///
/// Shared between the store actor and whoever renders `/metrics`; a `Mutex`
/// guards the counters (never held across an `await`).
public final class StoreHealth: Sendable {
    private struct Entry {
        var failures = 0
        var lastLogged: ContinuousClock.Instant?
        var suppressed = 0
    }

    /// At most one log line per operation within this interval.
    public static let logInterval: Duration = .seconds(10)
    private let entries = Mutex<[StoreOperation: Entry]>([:])

    /// Creates empty counters.
    public init() {}

    /// Counts one failure of `operation` and logs it unless one was logged recently.
    public func failed(_ operation: StoreOperation, error: any Error, logger: Logger) {
        let now = ContinuousClock.now
        let suppressed: Int? = entries.withLock { entries in
            var entry = entries[operation] ?? Entry()
            entry.failures += 1
            defer { entries[operation] = entry }
            if let last = entry.lastLogged, now - last < Self.logInterval {
                entry.suppressed += 1
                return nil
            }
            let skipped = entry.suppressed
            entry.lastLogged = now
            entry.suppressed = 0
            return skipped
        }
        guard let suppressed else { return }
        logger.error("storage operation failed", metadata: [
            "storage.operation": "\(operation.rawValue)", "error": "\(error)",
            "storage.suppressed": "\(suppressed)",
        ])
    }

    /// Failures of `operation` so far.
    public func failures(_ operation: StoreOperation) -> Int {
        entries.withLock { $0[operation]?.failures ?? 0 }
    }

    /// `wagate_storage_errors_total` in the Prometheus text format (0.0.4), one
    /// sample per operation (zeros included, so a dashboard sees the series at once).
    public func exposition() -> [UInt8] {
        let counts = entries.withLock { entries in StoreOperation.allCases.map { ($0, entries[$0]?.failures ?? 0) } }
        var text = "# HELP wagate_storage_errors_total Storage operations that failed (disk full, I/O error)\n"
        text += "# TYPE wagate_storage_errors_total counter\n"
        for (operation, count) in counts {
            text += "wagate_storage_errors_total{operation=\"\(operation.rawValue)\"} \(count)\n"
        }
        return Array(text.utf8)
    }
}
