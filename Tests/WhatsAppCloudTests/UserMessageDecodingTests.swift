// The `messages` field's user messages, reduced to who wrote to which number
// and when (the customer service window); content never decoded.

import Foundation
import Testing
@testable import WhatsAppCloud

@Suite("user messages on the messages field")
struct UserMessageDecodingTests {
    @Test func aTextIsWhoWhenAndWhichNumberWhileSystemNoticesAndStatusesAreIgnored() throws {
        let events = try WebhookDecoder.decode(Fixtures.data("webhook_user_message.json"))
        guard case .userMessage(let message)? = events.first, events.count == 1 else {
            Issue.record("expected one user message, got \(events)")
            return
        }
        #expect(message.user.phone == "447700900123" && message.user.userID?.rawValue == "GB.13491208655302741918")
        #expect(message.timestamp == Date(timeIntervalSince1970: 1_745_339_000))
        #expect(message.metadata.phoneNumberID == "100000000000001" && message.messageID == "wamid.TEXT1")
        #expect(!"\(events)".contains("order 4711"))
        #expect(events[0].kind == "user_message" && events[0].deduplicationKey == "message.user:wamid.TEXT1")
    }

    @Test func aUserNamedOnlyByBSUID() throws {
        guard case .userMessage(let message)? = try WebhookDecoder.decode(
            Fixtures.data("webhook_user_message_bsuid.json")).first else {
            Issue.record("expected a user message")
            return
        }
        #expect(message.user.phone == nil && message.user.userID?.rawValue == "US.13491208655302741918")
    }

    @Test func aPermissionReplyIsStillAReplyNotAMessage() throws {
        let events = try WebhookDecoder.decode(Fixtures.data("webhook_permission_reply.json"))
        guard case .permissionReply? = events.first, events.count == 1 else {
            Issue.record("expected one permission reply, got \(events)")
            return
        }
    }

    @Test func hostileBodies() throws {
        func body(_ messages: String) -> Data {
            Data(("{\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":" + messages + "}}]}]}").utf8)
        }
        #expect(try WebhookDecoder.decode(body("[{\"type\":\"text\",\"timestamp\":\"1\"}]")).isEmpty)
        #expect(try WebhookDecoder.decode(body("[{\"from\":{\"x\":1},\"timestamp\":[]}]")).isEmpty)
        #expect(try WebhookDecoder.decode(body("\"not a list\"")).isEmpty)
        let many = "[" + Array(repeating: "{\"from\":\"447700900123\"}", count: 5000).joined(separator: ",") + "]"
        #expect(try WebhookDecoder.decode(body(many)).count == WebhookDecoder.maxMessagesPerChange)
        guard case .userMessage(let odd)? = try WebhookDecoder.decode(
            body("[{\"from\":\"447700900123\",\"timestamp\":\"99999999999999999999\"}]")).first else {
            Issue.record("expected a user message")
            return
        }
        #expect(odd.user.phone == "447700900123")
    }
}

/// A delivery that only says a user wrote is handed on but never stored: its raw
/// body holds the user's text, and a lost one only means a template is sent.
@Suite struct UserMessageStorageTests {
    @Test func aUserMessageIsDeliveredOnceAndItsBodyNeverStored() async throws {
        let store = InMemoryWebhookDeliveryStore()
        let sink = RecordingSink()
        let processor = WebhookProcessor(settings: WebhookSettings(verifyToken: "v", appSecret: "s"), store: store,
                                         sink: sink, logger: quietLogger)
        let body = Array(try Fixtures.data("webhook_user_message.json"))
        let signature = WebhookSignature.sign(body: body, appSecret: "s")
        #expect(await processor.receive(body: body, signature: signature).status == 200)
        #expect(await processor.receive(body: body, signature: signature).status == 200)
        #expect(await store.deliveries.isEmpty)
        #expect(await sink.events.map(\.kind) == ["user_message"])
    }
}
