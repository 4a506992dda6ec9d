public import Foundation
import NIOCore

/// Retention: what ``StoreRetentionService`` applies on its schedule. Each step is
/// its own statement, so a step that fails (counted under `retention`) does not
/// keep the others from freeing space; SQLite reuses freed pages for new rows.
extension GatewayStore {
    /// Deletes and scrubs what `policy` no longer keeps at `now`.
    public func applyRetention(_ policy: RetentionPolicy, now: Date) async throws -> RetentionReport {
        await lock()
        defer { unlock() }
        return try await counted(.retention) {
            var report = RetentionReport()
            let bodyCutoff = SQLValue.float(now.timeIntervalSince1970 - policy.webhookBodies.timeInterval)
            report.bodiesScrubbed = try await changing("scrub bodies", """
                UPDATE webhook_deliveries SET body = ?, signature = '', scrubbed_at = ?
                WHERE scrubbed_at IS NULL AND received_at < ? AND NOT EXISTS
                    (SELECT 1 FROM webhook_events e WHERE e.delivery_id = webhook_deliveries.id AND e.processed = 0)
                """, [.blob(ByteBuffer()), .float(now.timeIntervalSince1970), bodyCutoff])
            let eventCutoff = SQLValue.float(now.timeIntervalSince1970 - policy.webhookEvents.timeInterval)
            report.eventsDeleted = try await changing(
                "prune events", "DELETE FROM webhook_events WHERE processed = 1 AND received_at < ?", [eventCutoff])
            report.deliveriesDeleted = try await changing("prune deliveries", """
                DELETE FROM webhook_deliveries WHERE received_at < ? AND NOT EXISTS
                    (SELECT 1 FROM webhook_events e WHERE e.delivery_id = webhook_deliveries.id)
                """, [eventCutoff])
            // A call's owner is looked up while its webhooks can still come: as long as event keys are kept.
            report.callOwnersDeleted = try await changing(
                "prune call owners", "DELETE FROM call_owners WHERE claimed_at < ?", [eventCutoff])
            if let keep = policy.callRecords {
                report.callRecordsDeleted = try await changing(
                    "prune calls", "DELETE FROM calls WHERE end_at IS NOT NULL AND end_at < ?",
                    [.float(now.timeIntervalSince1970 - keep.timeInterval)])
            }
            if report != RetentionReport() {
                // Copies the erased pages into the database file and empties the log,
                // where the old page images (with the bodies) would otherwise stay.
                if dialect == .sqlite { _ = try? await run("checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)") }
            }
            return report
        }
    }

    /// Deliveries whose body has been erased.
    public func scrubbedDeliveryCount() async throws -> Int {
        let rows = try await run("count scrubbed", "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE scrubbed_at IS NOT NULL")
        return rows.first?.column("n")?.integer ?? 0
    }

    /// Webhook events stored but not yet processed.
    public func unprocessedEventCount() async throws -> Int {
        let rows = try await run("count unprocessed", "SELECT COUNT(*) AS n FROM webhook_events WHERE processed = 0")
        return rows.first?.column("n")?.integer ?? 0
    }

    /// Runs one writing statement and returns how many rows it changed (one returned row each).
    private func changing(_ operation: String, _ sql: String, _ binds: [SQLValue]) async throws -> Int {
        try await run(operation, sql + " RETURNING 1 AS changed", binds).count
    }
}
