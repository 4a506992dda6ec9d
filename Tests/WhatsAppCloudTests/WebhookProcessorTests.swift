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
        #expect(await store.deliveries.isEmpty)
        #expect(await sink.events.isEmpty)
    }

    @Test func signedMalformedIs400AndNotStored() async {
        let body = Array("{\"entry\": [".utf8)
        #expect(await processor.receive(body: body, signature: signed(body)).status == 400)
        #expect(await store.deliveries.isEmpty)
    }

    @Test func storedThenDeliveredAndDuplicatesDropped() async throws {
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await processor.receive(body: body, signature: signed(body)).status == 200)
        #expect(await store.deliveries.count == 2)
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

    @Test func failingStoreAnswers500AndDeliversNothing() async throws {
        struct Broken: WebhookDeliveryStore {
            struct Failure: Error {}
            func record(_ delivery: WebhookDelivery) async throws -> [WebhookEvent] { throw Failure() }
        }
        let processor = WebhookProcessor(settings: .init(verifyToken: "v", appSecret: Self.secret), store: Broken(),
                                         sink: sink, logger: quietLogger)
        let body = Array(try Fixtures.data("webhook_statuses.json"))
        #expect(await processor.receive(body: body, signature: signed(body)).status == 500)
        #expect(await sink.events.isEmpty)
    }
}
