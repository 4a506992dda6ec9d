public import Foundation

/// One call permission request about to go out: the business number it goes
/// through, every identifier of the user (phone number, BSUID, parent BSUID,
/// `@username`), and the request's own id.
public struct PermissionRequestEntry: Sendable, Equatable {
    /// The business number's phone number id.
    public var numberID: String
    /// The user's identifiers: the request is found again by any of them.
    public var userKeys: [String]
    /// Unique per request (a refund names it).
    public var requestID: String

    /// Creates an entry.
    public init(numberID: String, userKeys: [String], requestID: String) {
        self.numberID = numberID
        self.userKeys = userKeys
        self.requestID = requestID
    }
}

/// Meta's limits on call permission requests (per business number and user),
/// counted over every node that shares this store. A claim is one transaction
/// that locks the user's identifiers in a fixed order on PostgreSQL, so two nodes
/// asking at once cannot both send the request that reaches the limit.
extension GatewayStore {
    /// Records `entry` at `now` when the requests already sent to the user through
    /// its number leave room: fewer than `perDay` in the last 24 hours and fewer than
    /// `perWeek` in the last 7 days, and no hold. False when they do not (nothing
    /// recorded). Requests older than 7 days and lapsed holds are deleted here.
    public func claimPermissionRequest(_ entry: PermissionRequestEntry, now: Date, perDay: Int, perWeek: Int)
        async throws -> Bool {
        let keys = Array(Set(entry.userKeys)).sorted()
        guard !keys.isEmpty else { return true }
        let nowSeconds = now.timeIntervalSince1970
        let week = nowSeconds - 7 * 86_400, day = nowSeconds - 86_400
        await lock()
        defer { unlock() }
        return try await counted(.cluster) {
            var allowed = false
            try await transaction("claim permission request") {
                if self.dialect == .postgres {
                    for key in keys {
                        try await self.run("lock permission requests", "SELECT pg_advisory_xact_lock(hashtext(?))",
                                           [.text("permission:\(entry.numberID):\(key)")])
                    }
                }
                _ = try await self.run("prune permission requests",
                                       "DELETE FROM permission_requests WHERE sent_at < ?", [.float(week)])
                _ = try await self.run("prune permission holds",
                                       "DELETE FROM permission_request_holds WHERE held_until <= ?", [.float(nowSeconds)])
                let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
                let userBinds = keys.map { SQLValue.text($0) }
                let held = try await self.run("permission holds", """
                    SELECT COUNT(*) AS n FROM permission_request_holds
                    WHERE number_id = ? AND user_key IN (\(placeholders)) AND held_until > ?
                    """, [.text(entry.numberID)] + userBinds + [.float(nowSeconds)])
                guard held.first?.column("n")?.integer ?? 0 == 0 else { return }
                let sent = try await self.run("permission requests sent", """
                    SELECT request_id, MAX(sent_at) AS sent_at FROM permission_requests
                    WHERE number_id = ? AND user_key IN (\(placeholders)) GROUP BY request_id
                    """, [.text(entry.numberID)] + userBinds)
                let times = sent.compactMap { $0.column("sent_at")?.double }
                guard times.filter({ $0 >= day }).count < perDay, times.filter({ $0 >= week }).count < perWeek else {
                    return
                }
                for key in keys {
                    _ = try await self.run("record permission request", """
                        INSERT INTO permission_requests (number_id, user_key, request_id, sent_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """, [.text(entry.numberID), .text(key), .text(entry.requestID), .float(nowSeconds)])
                }
                allowed = true
            }
            return allowed
        }
    }

    /// The request `requestID` never reached the user (Meta refused it for a reason
    /// that is not a limit): it no longer counts.
    public func refundPermissionRequest(numberID: String, requestID: String) async throws {
        try await counted(.cluster) {
            _ = try await run("refund permission request",
                              "DELETE FROM permission_requests WHERE number_id = ? AND request_id = ?",
                              [.text(numberID), .text(requestID)])
        }
    }

    /// Meta refused a request to the user for its limits or rate: no request to
    /// any of `userKeys` through `numberID` before `until`.
    public func holdPermissionRequests(numberID: String, userKeys: [String], until: Date) async throws {
        try await counted(.cluster) {
            for key in Set(userKeys).sorted() {
                _ = try await run("hold permission requests", """
                    INSERT INTO permission_request_holds (number_id, user_key, held_until) VALUES (?, ?, ?)
                    ON CONFLICT (number_id, user_key) DO UPDATE SET
                    held_until = CASE WHEN excluded.held_until > permission_request_holds.held_until
                    THEN excluded.held_until ELSE permission_request_holds.held_until END
                    """, [.text(numberID), .text(key), .float(until.timeIntervalSince1970)])
            }
        }
    }

    /// A business-initiated call to the user connected: Meta starts its counts
    /// again, so the requests and holds recorded for `userKeys` go.
    public func resetPermissionRequests(numberID: String, userKeys: [String]) async throws {
        let keys = Array(Set(userKeys)).sorted()
        guard !keys.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        let binds = [SQLValue.text(numberID)] + keys.map { SQLValue.text($0) }
        try await counted(.cluster) {
            _ = try await run("reset permission requests",
                              "DELETE FROM permission_requests WHERE number_id = ? AND user_key IN (\(placeholders))",
                              binds)
            _ = try await run("reset permission holds",
                              "DELETE FROM permission_request_holds WHERE number_id = ? AND user_key IN (\(placeholders))",
                              binds)
        }
    }
}
