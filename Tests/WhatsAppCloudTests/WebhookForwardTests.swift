import Foundation
import Testing
@testable import WhatsAppCloud

/// A router that keeps nothing for this node (every event belongs to another) and
/// accepts forwards under one secret.
private struct ElsewhereRouter: WebhookRouting {
    let secret: String

    func route(_ admitted: [WebhookEvent], of delivery: WebhookDelivery) async -> [WebhookEvent] { [] }

    func accept(forward header: String, signature: String) -> Set<String>? {
        WebhookForward.verify(header, secret: secret, signature: signature).map { Set($0.keys) }
    }
}

/// Webhooks handed from one cluster node to another: the forward header, and the
/// receiving processor that hands on only the events it names.
@Suite struct WebhookForwardTests {
    static let appSecret = "processor-secret"
    static let clusterSecret = "a-cluster-secret-value"

    @Test func aHeaderVerifiesOnlyWithItsSecretAndItsSignature() {
        let forward = WebhookForward(from: "gw1", keys: ["call.connect:wacid.A", "call.status:wacid.A:RINGING"])
        let header = forward.header(secret: Self.clusterSecret, signature: "sha256=aa")
        #expect(WebhookForward.verify(header, secret: Self.clusterSecret, signature: "sha256=aa") == forward)
        #expect(WebhookForward.verify(header, secret: "another-secret-value", signature: "sha256=aa") == nil)
        #expect(WebhookForward.verify(header, secret: Self.clusterSecret, signature: "sha256=bb") == nil,
                "a header moved to another body does not verify")
        var tampered = Array(header.utf8)
        tampered[3] = tampered[3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(WebhookForward.verify(String(decoding: tampered, as: UTF8.self), secret: Self.clusterSecret,
                                      signature: "sha256=aa") == nil)
        for junk in ["", ".", "..", "abc", String(repeating: "x", count: 70_000), "a.b.c"] {
            #expect(WebhookForward.verify(junk, secret: Self.clusterSecret, signature: "sha256=aa") == nil)
        }
    }

    @Test func tooManyKeysAreRefused() {
        let keys = (0...WebhookForward.maximumKeys).map { "call.connect:wacid.\($0)" }
        let header = WebhookForward(from: "gw1", keys: keys).header(secret: Self.clusterSecret, signature: "s")
        #expect(WebhookForward.verify(header, secret: Self.clusterSecret, signature: "s") == nil)
    }

    @Test func aForwardedDeliveryHandsOnOnlyTheEventsItNames() async throws {
        let store = InMemoryWebhookDeliveryStore()
        let sink = RecordingSink()
        var processor = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: Self.appSecret),
                                         store: store, sink: sink, logger: quietLogger)
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        let signature = WebhookSignature.sign(body: body, appSecret: Self.appSecret)
        let events = try WebhookDecoder.decode(Data(body))
        let named = WebhookForward(from: "gw2", keys: events.map(\.deduplicationKey))
            .header(secret: Self.clusterSecret, signature: signature)

        #expect(await processor.receive(body: body, signature: signature, forward: named).status == 403,
                "a node without a cluster refuses forwards")
        processor.router = ElsewhereRouter(secret: Self.clusterSecret)
        #expect(await processor.receive(body: body, signature: signature, forward: "forged.00").status == 403)
        #expect(await processor.receive(body: body, signature: signature, forward: named).status == 200)
        #expect(await sink.events.map(\.kind) == ["connect"], "named, so handed on although the router keeps none")

        let other = RecordingSink()
        var elsewhere = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: Self.appSecret),
                                         store: InMemoryWebhookDeliveryStore(), sink: other, logger: quietLogger)
        elsewhere.router = ElsewhereRouter(secret: Self.clusterSecret)
        let nothing = WebhookForward(from: "gw2", keys: []).header(secret: Self.clusterSecret, signature: signature)
        #expect(await elsewhere.receive(body: body, signature: signature, forward: nothing).status == 200)
        #expect(await other.events.isEmpty, "a forward naming no event hands none on")
    }

    @Test func aPermissionReplyForwardedToEveryNodeIsHandedOnOnceThoughTheStoreHasIt() async throws {
        // The node that received it stored it and handled it; this node shares the store.
        let store = InMemoryWebhookDeliveryStore()
        let body = Array(try Fixtures.data("webhook_permission_reply.json"))
        let signature = WebhookSignature.sign(body: body, appSecret: Self.appSecret)
        let events = try WebhookDecoder.decode(Data(body))
        let receiver = RecordingSink()
        var first = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: Self.appSecret),
                                     store: store, sink: receiver, logger: quietLogger)
        first.router = ElsewhereRouter(secret: Self.clusterSecret)
        _ = await first.receive(body: body, signature: signature)
        try await store.markProcessed(events.map(\.deduplicationKey))

        let sink = RecordingSink()
        var peer = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: Self.appSecret),
                                    store: store, sink: sink, logger: quietLogger)
        peer.router = ElsewhereRouter(secret: Self.clusterSecret)
        let named = WebhookForward(from: "gw1", keys: events.map(\.deduplicationKey))
            .header(secret: Self.clusterSecret, signature: signature)
        #expect(await peer.receive(body: body, signature: signature, forward: named).status == 200)
        #expect(await peer.receive(body: body, signature: signature, forward: named).status == 200)
        #expect(await sink.events.map(\.kind) == ["permission_reply"], "handed on once")
    }

    @Test func aDeliveryNotForwardedGoesThroughTheRouter() async throws {
        let store = InMemoryWebhookDeliveryStore()
        let sink = RecordingSink()
        var processor = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: Self.appSecret),
                                         store: store, sink: sink, logger: quietLogger)
        processor.router = ElsewhereRouter(secret: Self.clusterSecret)
        let body = Array(try Fixtures.data("webhook_connect_user_initiated.json"))
        let signature = WebhookSignature.sign(body: body, appSecret: Self.appSecret)
        #expect(await processor.receive(body: body, signature: signature).status == 200)
        #expect(await sink.events.isEmpty, "the router handed it elsewhere")
    }
}
