import Foundation
import HTTP
import Store

/// `GET /api/v1/cdrs/{id}`: the call's row with every column, plus its
/// transfers (`transfers`, empty when the call was never transferred).
struct AdminRecordDetail: Encodable, Sendable {
    /// The call's row.
    let record: CallDetailRecord
    /// Its transfers, in order.
    let transfers: [AdminTransfer]

    private enum Key: String, CodingKey { case transfers }

    /// Builds the detail of `record` from its stored transfer rows.
    init(record: CallDetailRecord, rows: [CallTransferRow]) {
        self.record = record
        transfers = rows.map {
            AdminTransfer(seq: $0.seq, kind: $0.kind, byUser: $0.byUser, target: $0.target, startedAt: $0.startedAt,
                          outcome: $0.outcome, answeredBy: $0.answeredBy, sipStatus: $0.sipStatus)
        }
    }

    /// The row's keys and `transfers` side by side in one object.
    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(transfers, forKey: .transfers)
    }
}
