import Foundation

/// Call detail records searched with a ``CallQuery``.
extension GatewayStore {
    /// The calls `query` selects, newest first.
    public func calls(matching query: CallQuery) async throws -> [CallDetailRecord] {
        var clauses: [String] = []
        var binds: [SQLValue] = []
        if let since = query.since {
            clauses.append("setup_at >= ?")
            binds.append(.float(since.timeIntervalSince1970))
        }
        if let until = query.until {
            clauses.append("setup_at < ?")
            binds.append(.float(until.timeIntervalSince1970))
        }
        for (column, value) in [("phone_number_id", query.phoneNumberID), ("callee", query.callee),
                                ("direction", query.direction)] {
            guard let value else { continue }
            clauses.append("\(column) = ?")
            binds.append(.text(value))
        }
        if let caller = query.caller {
            clauses.append("(caller = ? OR sip_from_user = ?)")
            binds += [.text(caller), .text(caller)]
        }
        if let user = query.user {
            clauses.append("(caller = ? OR callee = ? OR answered_by = ?)")
            binds += Array(repeating: .text("user:" + user), count: 3)
        }
        if query.failedOnly { clauses.append("end_at IS NOT NULL AND answer_at IS NULL") }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        binds += [.integer(query.limit), .integer(query.offset)]
        return try await run("query calls",
                             "SELECT * FROM calls \(filter) ORDER BY setup_at DESC, call_id LIMIT ? OFFSET ?", binds)
            .map(Self.record)
    }
}
