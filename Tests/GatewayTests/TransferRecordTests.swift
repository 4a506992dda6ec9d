// A transfer's records as the gateway keeps them: the CDR row's count and last
// party, one `call_transfers` row per transfer, the admin API's `transfers[]`,
// and `wagate_transfers_total` counted once per settled transfer.

import CallControl
import Foundation
import Logging
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: transfer records")
struct TransferRecordTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let context = CallLogContext(callID: CallID("c1"))

    @Test("rows and columns follow the transfer; the admin detail lists transfers[]; metrics count settled ones")
    func recordsAndMetrics() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let metrics = GatewayMetrics(config: .test())
        let records = MeteredCallRecords(next: StoreCallRecords(store: store, logger: quiet), metrics: metrics)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let call = CallID("c1")
        let start = CallStart(direction: .inbound, from: "+14085550001", to: "user:alice")
        await records.record(.started(start), call: call, at: t0, context: context)
        var transfer = TransferRecord(seq: 1, kind: .blind, by: "alice", target: "user:bob")
        await records.record(.transferred(transfer), call: call, at: t0.addingTimeInterval(5), context: context)
        let answered = #"wagate_transfers_total{kind="blind",outcome="answered"}"#
        #expect(metricValue(metrics, answered) == 0)
        transfer.outcome = .answered
        transfer.answeredBy = "user:bob"
        await records.record(.transferred(transfer), call: call, at: t0.addingTimeInterval(9), context: context)
        #expect(metricValue(metrics, answered) == 1)
        #expect(metricValue(metrics, #"wagate_transfers_total{kind="attended",outcome="failed"}"#) == 0)

        let row = try #require(try await store.call(id: "c1"))
        #expect(row.transferCount == 1 && row.answeredBy == "user:bob")
        let rows = try await store.transfers(callID: "c1")
        #expect(rows == [CallTransferRow(callID: "c1", seq: 1, kind: "blind", byUser: "alice", target: "user:bob",
                                         startedAt: t0.addingTimeInterval(5), outcome: "answered",
                                         answeredBy: "user:bob")])

        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let json = try #require(try JSONSerialization.jsonObject(
            with: encoder.encode(AdminRecordDetail(record: row, rows: rows))) as? [String: Any])
        #expect(json["call_id"] as? String == "c1")
        #expect(json["transfer_count"] as? Int == 1)
        let listed = try #require(json["transfers"] as? [[String: Any]])
        #expect(listed.first?["by_user"] as? String == "alice")
        #expect(listed.first?["outcome"] as? String == "answered")
        #expect(listed.first?["started_at"] as? String == "2027-01-15T08:00:05Z")
        try await store.close()
    }
}
