// Meta-side recording and transcription through the composition: which calls
// ask Meta for it (a number's keys, a user's override), and Meta's results
// reaching the CDR through `StoreCallRecords`, also when a result overtakes
// the row's wacid.

import CallControl
import Config
import Foundation
import Logging
import Store
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: Meta recording and transcription")
struct MetaCaptureTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func config() -> GatewayConfig {
        var config = GatewayConfig.test()
        let recording = MetaCaptureConfig(recording: true, purpose: "training", announcementLanguage: "es")
        config.whatsapp.metaCapture = recording
        for index in config.numbers.indices { config.numbers[index].metaCapture = recording }
        for index in config.users.indices where config.users[index].name == "alice" {
            config.users[index].metaCapture = MetaCaptureConfig(recording: false, transcription: true)
        }
        return config
    }

    @Test("connect asks for the number's recording; a user's keys override it key by key")
    func numberAndUserCapture() async throws {
        let harness = await GatewayHarness(config: Self.config())
        await harness.invite("+14085551234", from: .user("bob"))
        await harness.invite("+14085551235", from: .user("alice"))
        let captures = harness.whatsApp.captures.current
        #expect(captures.map(\.operation) == ["connect", "connect"])
        #expect(captures.first?.capture == MetaCaptureConfig(recording: true, transcription: false, purpose: "training",
                                                             announcementLanguage: "es"))
        #expect(captures.last?.capture == MetaCaptureConfig(recording: false, transcription: true, purpose: "training",
                                                            announcementLanguage: "es"))
        #expect(GraphWhatsAppCalling.callCapture(try #require(captures.last?.capture)).recording == nil)
        #expect(GraphWhatsAppCalling.callCapture(try #require(captures.last?.capture)).transcription?.purpose
            == "training")
    }

    @Test("a result that overtakes the row's wacid is held and lands when the row gets it; an unknown one is dropped")
    func raceAndUnknown() async throws {
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let records = StoreCallRecords(store: store, logger: quiet)
        let call = CallID("wg-1"), context = CallLogContext(callID: call)
        await records.record(.started(CallStart(direction: .outbound, from: "user:alice", to: "+4477")), call: call,
                             at: Date(), context: context)
        await records.metaCaptureRequested([.recording], call: call)
        #expect(try await store.call(id: "wg-1")?.metaRecording.status == "requested")
        let artifact = MetaArtifact(wacid: WACID("wacid.R"), kind: .recording, mediaID: "42", url: "https://m/42")
        #expect(await records.attach(artifact, known: true) == .pending)
        #expect(try await store.call(id: "wg-1")?.metaRecording.status == "requested")
        await records.record(.linkedWhatsApp(WACID("wacid.R")), call: call, at: Date(), context: context)
        #expect(try await store.call(id: "wg-1")?.metaRecording
            == MetaArtifactColumns(status: "available", mediaID: "42", url: "https://m/42"))
        #expect(await records.attach(artifact, known: true) == .linked, "a repeated delivery rewrites the same values")
        let stranger = MetaArtifact(wacid: WACID("wacid.X"), kind: .transcription, mediaID: "7")
        #expect(await records.attach(stranger, known: false) == .unknownCall)
        #expect(await records.pendingArtifacts.count == 0)
        try await store.close()
    }

    @Test("call control counts a result for an unknown wacid, and stores nothing for it")
    func countsOutcomes() async throws {
        let journal = Journal()
        let counters = NumberCounters()
        let control = CallControl(
            config: Self.config(),
            ports: .init(sip: FakeSIP(journal: journal), resolver: FakeResolver(), whatsApp: FakeWhatsApp(journal: journal),
                         media: FakeMedia(journal: journal), records: FakeRecords()),
            clock: ManualClock(), counters: counters, logger: quiet)
        await control.handleMetaArtifact(MetaArtifact(wacid: WACID("wacid.none"), kind: .recording))
        #expect(counters.metaArtifacts.value(.recording, status: "unknown_call") == 1)
        let text = String(decoding: counters.exposition(), as: UTF8.self)
        #expect(text.contains(#"wagate_meta_recordings_total{kind="recording",status="pending"} 0"#))
        #expect(text.contains(#"wagate_meta_recordings_total{kind="recording",status="unknown_call"} 1"#))
    }

    @Test("the pending table is bounded and forgets old results")
    func pendingIsBounded() {
        var pending = PendingMetaArtifacts()
        let t0 = Date(timeIntervalSince1970: 0)
        for index in 0..<(PendingMetaArtifacts.capacity + 10) {
            pending.hold(MetaArtifact(wacid: WACID("w\(index)"), kind: .recording), now: t0)
        }
        #expect(pending.count == PendingMetaArtifacts.capacity)
        #expect(pending.take(wacid: WACID("w0")).isEmpty, "the oldest went first")
        pending.hold(MetaArtifact(wacid: WACID("late"), kind: .recording),
                     now: t0.addingTimeInterval(PendingMetaArtifacts.lifetime + 1))
        #expect(pending.count == 1, "expired results are dropped")
    }
}
