import Foundation
import Logging
import Store
import Testing

/// Transfers: one `call_transfers` row per transfer, updated as it settles
/// (its start time kept); the call row keeps the count and who took the call
/// last; retention drops the rows with their call.
@Suite struct CallTransferStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(arguments: StoreBackend.all) func transferRowsFollowTheTransferAndLeaveWithTheirCall(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        #expect(try await store.schemaVersion() >= 10)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var call = CallDetailRecord(callID: "c1", direction: "inbound", caller: "+14085550001", callee: "user:alice",
                                    setupAt: t0)
        try await store.saveCall(call)
        #expect(try await store.call(id: "c1")?.transferCount == 0)
        #expect(try await store.call(id: "c1")?.answeredBy == nil)

        let asked = CallTransferRow(callID: "c1", seq: 1, kind: "blind", byUser: "alice", target: "user:bob",
                                    startedAt: t0.addingTimeInterval(10), outcome: "pending")
        try await store.saveTransfer(asked)
        var settled = asked
        settled.startedAt = t0.addingTimeInterval(20)
        settled.outcome = "returned"
        settled.answeredBy = "user:alice"
        settled.sipStatus = 408
        try await store.saveTransfer(settled)
        try await store.saveTransfer(CallTransferRow(callID: "c1", seq: 2, kind: "attended", byUser: nil,
                                                     target: "nobody", startedAt: t0.addingTimeInterval(30),
                                                     outcome: "failed", sipStatus: 404))
        let rows = try await store.transfers(callID: "c1")
        #expect(rows.map(\.seq) == [1, 2])
        #expect(rows[0].outcome == "returned" && rows[0].answeredBy == "user:alice" && rows[0].sipStatus == 408)
        #expect(rows[0].startedAt == t0.addingTimeInterval(10), "the first write's start time stays")
        #expect(rows[1].byUser == nil && rows[1].kind == "attended")

        call.transferCount = 2
        call.answeredBy = "user:alice"
        call.endAt = t0.addingTimeInterval(60)
        try await store.saveCall(call)
        #expect(try await store.call(id: "c1") == call)

        try await store.pruneCalls(endedBefore: t0.addingTimeInterval(1000))
        #expect(try await store.transfers(callID: "c1").isEmpty)
        try await store.close()
    }
}
