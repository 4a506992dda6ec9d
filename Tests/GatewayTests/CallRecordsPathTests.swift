// Call rows have one writer: call control's records through `StoreCallRecords`,
// over a real (in-memory) store, including the rows crash recovery closes.

import CallControl
import Config
import Foundation
import Logging
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: one path for call records")
struct CallRecordsPathTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("each step rewrites the store's row; an ended call is no longer in progress")
    func stepsGoToTheStoresRow() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let records = StoreCallRecords(store: store, logger: quiet)
        let call = CallID("wg-000001"), context = CallLogContext(callID: call)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let start = CallStart(direction: .echo, from: "user:alice", to: "*43", sipCallID: "e1")
        await records.record(.started(start), call: call, at: t0, context: context)
        await records.record(.answered, call: call, at: t0.addingTimeInterval(2), context: context)
        #expect(await records.callsInProgress()
            == [OrphanedCall(callID: call, direction: .echo, wacid: nil, sipCallID: "e1")])
        let ending = CallEnding(reason: .normal, endedBy: .sip)
        await records.record(.ended(ending), call: call, at: t0.addingTimeInterval(9), context: context)
        #expect(await records.callsInProgress().isEmpty)
        let row = try #require(try await store.call(id: call.rawValue))
        #expect(row.answerAt == t0.addingTimeInterval(2) && row.endReason == "normal" && row.endedBy == "sip")
        try await store.close()
    }

    @Test("crash recovery reads the rows in progress through the port and closes them through it")
    func recoveryClosesRowsThroughThePort() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let records = StoreCallRecords(store: store, logger: quiet)
        let old = CallID("wg-old-1")
        await records.record(.started(CallStart(direction: .outbound, from: "user:bob", to: "+4477", sipCallID: "s1")),
                             call: old, at: Date(), context: CallLogContext(callID: old))
        let journal = Journal()
        let stack = FakeSIPStack()
        let signaling = StackSIPSignaling(stack: stack, config: .test(), logger: quiet)
        let control = CallControl(
            config: .test(),
            ports: .init(sip: signaling, resolver: signaling, whatsApp: FakeWhatsApp(journal: journal),
                         media: FakeMedia(journal: journal), records: records, echo: FakeEcho(journal: journal)),
            clock: ManualClock())
        let report = await control.recoverOrphans()
        #expect(report.total == 1 && report.sipClosed == ["s1"])
        #expect(await records.callsInProgress().isEmpty)
        #expect(try await store.call(id: old.rawValue)?.endReason == "recovered")
        try await store.close()
    }
}
