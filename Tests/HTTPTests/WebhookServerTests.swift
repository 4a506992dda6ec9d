import AsyncHTTPClient
import Foundation
import HTTP
import Logging
import NIOCore
import ServiceLifecycle
import Testing
import WhatsAppCloud

/// The webhook receiver over real HTTP on 127.0.0.1, port 0.
@Suite struct WebhookServerTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let secret = "http-secret"

    /// Starts a receiver, runs `body` with its base URL, then shuts it down.
    func withReceiver(_ body: (String, InMemoryWebhookDeliveryStore, WebhookEventBroadcaster) async throws -> Void)
        async throws {
        let store = InMemoryWebhookDeliveryStore()
        let events = WebhookEventBroadcaster()
        let processor = WebhookProcessor(settings: .init(verifyToken: "tok", appSecret: Self.secret), store: store,
                                         sink: events, logger: Self.quiet)
        let server = try WebhookServer(listen: .init(host: "127.0.0.1", port: 0), processor: processor, logger: Self.quiet)
        try await serving(server, port: server.port, logger: Self.quiet) { base in
            try await body(base + "/webhooks/whatsapp", store, events)
        }
    }

    func send(_ url: String, get: Bool = false, body: [UInt8] = [], signature: String? = nil)
        async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = get ? .GET : .POST
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        if let signature { request.headers.add(name: "X-Hub-Signature-256", value: signature) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), text)
    }

    @Test func verificationHandshake() async throws {
        try await withReceiver { url, _, _ in
            let ok = try await send(url + "?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444", get: true)
            #expect(ok.0 == 200 && ok.1 == "1158201444")
            let bad = try await send(url + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", get: true)
            #expect(bad.0 == 403)
        }
    }

    @Test func signaturesAreCheckedBeforeAnything() async throws {
        try await withReceiver { url, store, _ in
            let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
            let unsigned = try await send(url, body: body)
            #expect(unsigned.0 == 401)
            let wrong = try await send(url, body: body, signature: "sha256=" + String(repeating: "0", count: 64))
            #expect(wrong.0 == 403)
            #expect(await store.offered == 0)
            let malformed = Array("{not json".utf8)
            let signed = WebhookSignature.sign(body: malformed, appSecret: Self.secret)
            let rejected = try await send(url, body: malformed, signature: signed)
            #expect(rejected.0 == 400)
            #expect(await store.offered == 0)
            let accepted = try await send(url, body: body, signature: WebhookSignature.sign(body: body, appSecret: Self.secret))
            #expect(accepted.0 == 200)
            #expect(await store.offered == 1)
        }
    }

    @Test func eventsReachSubscribers() async throws {
        try await withReceiver { url, _, events in
            let stream = events.subscribe()
            let body = Array(#"""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"calls","value":{
                "statuses":[{"id":"wacid.X","type":"call","status":"RINGING","timestamp":"1"}]}}]}]}
                """#.utf8)
            let signature = WebhookSignature.sign(body: body, appSecret: Self.secret)
            let first = try await send(url, body: body, signature: signature)
            let second = try await send(url, body: body, signature: signature)
            #expect(first.0 == 200 && second.0 == 200)
            var iterator = stream.makeAsyncIterator()
            let event = await iterator.next()
            #expect(event?.kind == "status" && event?.callID == "wacid.X")
            events.finish()
            #expect(await iterator.next() == nil)
        }
    }
}
