import Foundation
import Logging
import Store
import Testing
import WhatsAppCloud

/// Crash safety and bounds of stored webhooks: the processed mark, the replay at
/// start, retention with an injected clock, body scrubbing, and a full store.
@Suite struct WebhookDurabilityTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let t0 = Date(timeIntervalSince1970: 1_745_000_000)

    /// A signed-shaped status delivery for `wacid` whose body decodes to its event.
    static func statusDelivery(_ wacid: String, status: String = "RINGING", at time: Date = t0,
                               padding: Int = 0) throws -> WebhookDelivery {
        let body = Array("""
            {"object":"whatsapp_business_account","entry":[{"id":"2","changes":[{"field":"calls","value":{
            "messaging_product":"whatsapp","metadata":{"phone_number_id":"100"},"statuses":[{"id":"\(wacid)",
            "timestamp":"1745000000","type":"call","status":"\(status)","recipient_id":"447700900123"}]}}]}],
            "pad":"\(String(repeating: "x", count: padding))"}
            """.utf8)
        return WebhookDelivery(receivedAt: time, body: body, signature: "sha256=00", events: try WebhookDecoder.decode(body))
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wagate-store-\(UUID().uuidString).sqlite").path
    }

    @Test func anEventStoredButNotProcessedIsReplayedAtTheNextStart() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        let lost = try Self.statusDelivery("wacid.LOST")
        let done = try Self.statusDelivery("wacid.DONE")
        #expect(try await first.record(done).count == 1)
        try await first.markProcessed(done.events.map(\.deduplicationKey))
        #expect(try await first.record(lost).count == 1)
        try await first.close()  // the process dies before call control handles wacid.LOST

        let second = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(await second.claimUnprocessedEvents() == lost.events)
        #expect(try await second.record(lost).isEmpty, "a retry racing the replay is not handed on twice")
        try await second.markProcessed(lost.events.map(\.deduplicationKey))
        #expect(try await second.unprocessedEventCount() == 0)
        try await second.close()

        let third = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(await third.claimUnprocessedEvents().isEmpty)
        try await third.close()
    }

    @Test func aStaleConnectIsNotReplayedButOtherEventsAre() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        let connect = WebhookEvent.callConnect(.init(callID: "wacid.OLD", direction: .userInitiated, from: "4477"))
        let body = Array(#"""
            {"object":"whatsapp_business_account","entry":[{"id":"2","changes":[{"field":"calls","value":{
            "messaging_product":"whatsapp","metadata":{"phone_number_id":"100"},"calls":[{"id":"wacid.OLD",
            "from":"4477","event":"connect","direction":"USER_INITIATED","timestamp":"1745000000",
            "session":{"sdp_type":"offer","sdp":"v=0"}}]}}]}]}
            """#.utf8)
        let decoded = try WebhookDecoder.decode(body)
        #expect(decoded.map(\.deduplicationKey) == [connect.deduplicationKey])
        _ = try await first.record(WebhookDelivery(receivedAt: Self.t0, body: body, signature: "", events: decoded))
        let status = try Self.statusDelivery("wacid.OLD2")
        _ = try await first.record(status)
        try await first.close()
        let second = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(await second.claimUnprocessedEvents(connectsSince: Self.t0.addingTimeInterval(60)) == status.events)
        #expect(try await second.unprocessedEventCount() == 1, "the stale connect is marked processed")
        try await second.close()
    }

    @Test func aRetryOfAnUnprocessedEventFromAnEarlierRunIsHandedOn() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        let lost = try Self.statusDelivery("wacid.LOST")
        #expect(try await first.record(lost).count == 1)
        #expect(try await first.record(lost).isEmpty, "the same run does not hand it on twice")
        try await first.close()
        let second = try await GatewayStore.open(.init(location: .file(path: path)), logger: quiet)
        #expect(try await second.record(lost) == lost.events, "processed, not dropped as a duplicate")
        try await second.close()
    }

    @Test(arguments: StoreBackend.all) func threeHundredReplaysStoreOneDelivery(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        let delivery = try Self.statusDelivery("wacid.R")
        var handedOn = 0
        for _ in 0..<300 { handedOn += try await store.record(delivery).count }
        #expect(handedOn == 1)
        #expect(try await store.deliveryCount() == 1)
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func retentionScrubsBodiesThenPrunesKeysByTheInjectedClock(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        let old = try Self.statusDelivery("wacid.OLD")
        let pending = try Self.statusDelivery("wacid.PENDING")
        _ = try await store.record(old)
        _ = try await store.record(pending)
        try await store.markProcessed(old.events.map(\.deduplicationKey))
        let policy = RetentionPolicy(callRecords: .seconds(86_400), webhookBodies: .seconds(60),
                                     webhookEvents: .seconds(3_600))

        var report = try await store.applyRetention(policy, now: Self.t0.addingTimeInterval(30))
        #expect(report == RetentionReport(), "nothing is due yet")
        report = try await store.applyRetention(policy, now: Self.t0.addingTimeInterval(61))
        #expect(report.bodiesScrubbed == 1, "the unprocessed body is kept for the replay")
        #expect(try await store.deliveryBodies().contains([]))
        #expect(try await store.deliveryBodies().contains(pending.body))
        #expect(try await store.record(old).isEmpty, "the key outlives the body: still a duplicate")

        report = try await store.applyRetention(policy, now: Self.t0.addingTimeInterval(3_601))
        #expect(report.eventsDeleted == 1 && report.deliveriesDeleted == 1)
        #expect(try await store.deliveryCount() == 1, "only the unprocessed delivery is left")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func retentionDeletesEndedCallRecordsOnly(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        var ended = CallDetailRecord(callID: "c1", direction: "inbound", wacid: "w1", caller: "+44", callee: "alice",
                                     setupAt: Self.t0)
        ended.endAt = Self.t0.addingTimeInterval(10)
        let running = CallDetailRecord(callID: "c2", direction: "inbound", caller: "+44", callee: "alice", setupAt: Self.t0)
        try await store.saveCall(ended)
        try await store.saveCall(running)
        let policy = RetentionPolicy(callRecords: .seconds(86_400), webhookBodies: .seconds(60), webhookEvents: .seconds(60))
        let report = try await store.applyRetention(policy, now: Self.t0.addingTimeInterval(86_411))
        #expect(report.callRecordsDeleted == 1)
        #expect(try await store.call(id: "c1") == nil)
        #expect(try await store.call(id: "c2") != nil, "a call without an end is crash-recovery state")
        try await store.close()
    }

    @Test(arguments: StoreBackend.all) func serviceSweepsOnItsScheduleWithAnInjectedClock(backend: StoreBackend) async throws {
        let store = try await backend.open(logger: quiet)
        _ = try await store.record(try Self.statusDelivery("wacid.S"))
        try await store.markProcessed(["call.status:wacid.S:RINGING"])
        let clock = FakeWallClock(start: Self.t0)
        let service = StoreRetentionService(
            store: store, policy: RetentionPolicy(callRecords: nil, webhookBodies: .seconds(90), webhookEvents: .seconds(3_600)),
            interval: .seconds(60), logger: quiet, now: { clock.now }, sleep: { try await clock.sleep($0, stopAfter: 3) })
        await #expect(throws: CancellationError.self) { try await service.runUntilCancelled() }
        #expect(clock.sleeps == [.seconds(60), .seconds(60), .seconds(60)])
        #expect(try await store.scrubbedDeliveryCount() == 1, "scrubbed at t0+120 s, the second sweep after 90 s")
        try await store.close()
    }

    @Test func aFullStoreFailsWritesWithACountedErrorAndKeepsReading() async throws {
        let health = StoreHealth()
        let store = try await GatewayStore.open(.init(location: .memory, maxSizeBytes: 256 * 1024), logger: quiet,
                                               health: health)
        var stored = 0
        var failure: (any Error)?
        for index in 0..<200 {
            do {
                stored += try await store.record(try Self.statusDelivery("wacid.F\(index)", padding: 4_000)).count
            } catch {
                failure = error
                break
            }
        }
        #expect(failure != nil, "SQLITE_FULL is reached")
        #expect(stored > 0)
        #expect(health.failures(.webhookRecord) == 1)
        #expect(try await store.deliveryCount() == stored, "reads still work")
        let text = String(decoding: health.exposition(), as: UTF8.self)
        #expect(text.contains("wagate_storage_errors_total{operation=\"webhook_record\"} 1"))
        try await store.close()
    }
}

/// A wall clock that moves only when the service sleeps, and stops it after a number of sleeps.
final class FakeWallClock: @unchecked Sendable {
    // Only touched from the one service task under test, one call at a time.
    private(set) var now: Date
    private(set) var sleeps: [Duration] = []

    init(start: Date) { now = start }

    func sleep(_ duration: Duration, stopAfter limit: Int) async throws {
        sleeps.append(duration)
        now = now.addingTimeInterval(Double(duration.components.seconds))
        if sleeps.count >= limit { throw CancellationError() }
    }
}
