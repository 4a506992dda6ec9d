import Foundation
import Logging
import Testing
@testable import WhatsAppCloud

/// A sink that keeps what it is given.
actor RecordingSink: WebhookEventSink {
    private(set) var events: [WebhookEvent] = []

    func deliver(_ events: [WebhookEvent]) async { self.events += events }
}

/// The receiver's logic without HTTP: verification, signatures, storage, dedup, order.
@Suite struct WebhookProcessorTests {
    static let secret = "processor-secret"
    let store = InMemoryWebhookDeliveryStore()
    let sink = RecordingSink()
    var processor: WebhookProcessor {
        WebhookProcessor(settings: WebhookSettings(verifyToken: "verify-me", appSecret: Self.secret), store: store,
                         sink: sink, logger: quietLogger)
    }

    func signed(_ body: [UInt8]) -> String { WebhookSignature.sign(body: body, appSecret: Self.secret) }

    @Test func verification() {
        #expect(processor.verify(mode: "subscribe", token: "verify-me", challenge: "1158201444")
            == WebhookResponse(status: 200, body: "1158201444"))
        #expect(processor.verify(mode: "subscribe", token: "wrong", challenge: "1").status == 403)
        #expect(processor.verify(mode: "unsubscribe", token: "verify-me", challenge: "1").status == 403)
        #expect(processor.verify(mode: "subscribe", token: nil, challenge: "1").status == 403)
        #expect(processor.verify(mode: "subscribe", token: "verify-me", challenge: nil).status == 403)
    }

    @Test func unsignedAndBadlySignedChangeNothing() async throws {
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        #expect(await processor.receive(body: body, signature: nil).status == 401)
        #expect(await processor.receive(body: body, signature: "sha256=00").status == 403)
        var changed = body
        changed[10] ^= 0x20
        #expect(await processor.receive(body: changed, signature: signed(body)).status == 403)
        #expect(await store.offered == 0)
        #expect(await sink.events.isEmpty)
    }

    @Test func signedMalformedIs400AndNotStored() async {
        let body = Array("{\"entry\": [".utf8)
        #expect(await processor.receive(body: body, signature: signed(body)).status == 400)
        #expect(await store.offered == 0)
    }

    @Test func storedThenDeliveredAndDuplicatesDropped() async throws {
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await store.deliveries.count == 1, "a delivery with nothing new is not stored again")
        #expect(await sink.events.map(\.kind) == ["connect"])
    }

    @Test func terminateBeforeConnectIgnoresTheLateConnect() async throws {
        let connect = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        let terminate = Array(try Fixtures.data("webhook_terminate_user_initiated.json"))
        #expect(await processor.receive(body: terminate, signature: signed(terminate)).status == 200)
        #expect(await processor.receive(body: connect, signature: signed(connect)).status == 200)
        #expect(await sink.events.map(\.kind) == ["terminate"])
        #expect(await store.deliveries.count == 2)
    }

    @Test func statusDuplicatesAreKeyedByIDAndStatus() async throws {
        let body = Array(try Fixtures.data("webhook_statuses.json"))
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await sink.events.count == 3)
    }

    /// A store that fails every write, as on a full disk, until `healed`.
    actor Broken: WebhookDeliveryStore {
        struct Failure: Error {}
        var healed = false
        var marked: [String] = []
        let inner = InMemoryWebhookDeliveryStore()
        func heal() { healed = true }
        func markProcessed(_ keys: [String]) async throws { marked += keys }
        func record(_ delivery: WebhookDelivery) async throws -> [WebhookEvent] {
            guard healed else { throw Failure() }
            return try await inner.record(delivery)
        }
    }

    @Test func failingStoreStillAnswers200AndDeliversOnceFromMemory() async throws {
        let broken = Broken()
        let processor = WebhookProcessor(settings: .init(verifyToken: "v", appSecret: Self.secret), store: broken,
                                         sink: sink, logger: quietLogger)
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        for _ in 0..<5 { #expect(await processor.receive(body: body, signature: signed(body)).status == 200) }
        #expect(await sink.events.map(\.kind) == ["connect"], "handed on once while the store fails")
        await broken.heal()
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await sink.events.map(\.kind) == ["connect"], "a duplicate after recovery is still dropped")
        #expect(await broken.marked == sink.events.map(\.deduplicationKey), "and marked handled, never replayed")
    }

    @Test func forgedDeliveryIsRefusedEvenWhenTheStoreFails() async throws {
        let processor = WebhookProcessor(settings: .init(verifyToken: "v", appSecret: Self.secret), store: Broken(),
                                         sink: sink, logger: quietLogger)
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        #expect(await processor.receive(body: body, signature: "sha256=" + String(repeating: "0", count: 64)).status == 403)
        #expect(await sink.events.isEmpty)
    }

    @Test func memoryAdmissionIsBounded() {
        let memory = WebhookMemoryAdmission(capacity: 3)
        let events = (0..<10).map { WebhookEvent.callStatus(.init(callID: "wacid.\($0)", status: .ringing)) }
        #expect(memory.admit(events).count == 10)
        #expect(memory.count == 3)
        #expect(memory.admit([events[9]]).isEmpty, "the newest keys are kept")
        #expect(memory.admit([events[0]]).count == 1, "the oldest are forgotten")
    }
}
