import Foundation
import Logging
import Store
import Testing

/// CDRs: a call's row follows it from setup to end; calls without an end are
/// what crash recovery finds; retention prunes old ended calls only.
@Suite struct CallRecordStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(arguments: StoreBackend.all) func callLifecycleAndInProgressAndRetention(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var call = CallDetailRecord(callID: "c1", direction: "outbound", sipCallID: "abc@phone", caller: "alice",
                                    callee: "+447700900123", sipParty: "alice", setupAt: t0)
        try await store.saveCall(call)
        try await store.saveCall(CallDetailRecord(callID: "c2", direction: "inbound", caller: "+14085551234",
                                                  callee: "group:sales", setupAt: t0.addingTimeInterval(5)))
        #expect(try await store.callsInProgress().map(\.callID) == ["c1", "c2"])

        call.wacid = "wacid.X"
        call.ringAt = t0.addingTimeInterval(1)
        call.answerAt = t0.addingTimeInterval(3)
        call.endAt = t0.addingTimeInterval(63)
        call.endReason = "completed"
        call.endedBy = "sip"
        call.sipCodec = "PCMU"
        call.whatsappCodec = "opus"
        try await store.saveCall(call)
        #expect(try await store.callsInProgress().map(\.callID) == ["c2"])
        let recent = try await store.recentCalls(limit: 10)
        #expect(recent.map(\.callID) == ["c2", "c1"])
        #expect(recent[1] == call && recent[1].duration == 60)

        try await store.pruneCalls(endedBefore: t0.addingTimeInterval(1000))
        #expect(try await store.recentCalls(limit: 10).map(\.callID) == ["c2"], "the open call stays")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func theBusinessNumberIsStoredAndComesBackForRecovery(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        var call = CallDetailRecord(callID: "c1", direction: "inbound", wacid: "w1", caller: "+14085551234",
                                    callee: "user:bob", setupAt: Date(timeIntervalSince1970: 1_800_000_000))
        call.phoneNumberID = "100000000000002"
        try await store.saveCall(call)
        #expect(try await store.callsInProgress().map(\.phoneNumberID) == ["100000000000002"])
        #expect(try await store.call(id: "c1") == call)
        try await store.close()
    }
}
