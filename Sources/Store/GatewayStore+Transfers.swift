import Foundation

/// The transfers of calls (`call_transfers`).
extension GatewayStore {
    /// Inserts a transfer or updates it as it progresses; `started_at` keeps the first value.
    public func saveTransfer(_ row: CallTransferRow) async throws {
        try await counted(.callSave) {
            _ = try await run("save transfer", """
                INSERT INTO call_transfers (call_id, seq, kind, by_user, target, started_at, outcome, answered_by,
                                            sip_status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(call_id, seq) DO UPDATE SET kind = excluded.kind, by_user = excluded.by_user,
                    target = excluded.target, outcome = excluded.outcome, answered_by = excluded.answered_by,
                    sip_status = excluded.sip_status
                """, [.text(row.callID), .integer(row.seq), .text(row.kind), row.byUser.map { .text($0) } ?? .null,
                      .text(row.target), .float(row.startedAt.timeIntervalSince1970), .text(row.outcome),
                      row.answeredBy.map { .text($0) } ?? .null, row.sipStatus.map { .integer($0) } ?? .null])
        }
    }

    /// A call's transfers, in order.
    public func transfers(callID: String) async throws -> [CallTransferRow] {
        try await run("call transfers", "SELECT * FROM call_transfers WHERE call_id = ? ORDER BY seq",
                      [.text(callID)]).map { row in
            CallTransferRow(callID: row.column("call_id")?.string ?? "", seq: row.column("seq")?.integer ?? 0,
                            kind: row.column("kind")?.string ?? "", byUser: row.column("by_user")?.string,
                            target: row.column("target")?.string ?? "",
                            startedAt: Date(timeIntervalSince1970: row.column("started_at")?.double ?? 0),
                            outcome: row.column("outcome")?.string ?? "",
                            answeredBy: row.column("answered_by")?.string, sipStatus: row.column("sip_status")?.integer)
        }
    }
}
