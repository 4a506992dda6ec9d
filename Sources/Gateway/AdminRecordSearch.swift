// CDR search for the admin API over the store's recent calls.

import Config
import Foundation
import HTTP
import Store

/// Filters call detail records for `GET /api/v1/cdrs`.
struct AdminRecordSearch {
    let config: GatewayConfig
    let store: SQLiteStore

    /// How many recent rows a search scans.
    static let scanLimit = 10000

    /// The records matching `query`, newest first.
    func run(_ query: AdminRecordQuery) async throws -> [any Encodable & Sendable] {
        let number = query.number.map(phoneNumberID)
        let rows = try await store.recentCalls(limit: Self.scanLimit)
        return Array(rows.lazy.filter { row in
            if let since = query.since, row.setupAt < since { return false }
            if let until = query.until, row.setupAt >= until { return false }
            if let number, row.phoneNumberID != number { return false }
            if let caller = query.caller, !row.caller.localizedCaseInsensitiveContains(caller) { return false }
            if query.failed, row.answerAt != nil || row.endAt == nil { return false }
            return true
        }.prefix(query.limit).map { $0 as any Encodable & Sendable })
    }

    /// A number's name, id or E.164, as its phone_number_id.
    private func phoneNumberID(_ text: String) -> String {
        (config.number(named: text) ?? config.number(withBusinessNumber: text))?.phoneNumberID ?? text
    }
}
