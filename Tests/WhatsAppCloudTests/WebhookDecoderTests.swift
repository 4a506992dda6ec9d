import Foundation
import Testing
@testable import WhatsAppCloud

/// Lenient, complete decoding of every webhook shape of docs/whatsapp.md#webhooks.
@Suite struct WebhookDecoderTests {
    func events(_ name: String) throws -> [WebhookEvent] {
        try WebhookDecoder.decode(Fixtures.data(name))
    }

    @Test func capturedUserInitiatedConnect() throws {
        let events = try events("webhook_connect_user_initiated.json")
        guard case .callConnect(let connect)? = events.first, events.count == 1 else {
            Issue.record("expected one connect, got \(events)")
            return
        }
        #expect(connect.callID == "wacid.HBgLNDQ3NzAwOTAwMTIzFQIAEhggQ0E")
        #expect(connect.direction == .userInitiated && connect.from == "447700900123")
        #expect(connect.session?.sdpType == .offer && connect.session?.sdp.contains("a=ice-lite") == true)
        #expect(connect.timestamp == Date(timeIntervalSince1970: 1_745_339_879))
        #expect(connect.contactName == "Alice Example" && connect.ctaPayload == "support-button")
        #expect(connect.metadata.phoneNumberID == "100000000000001" && connect.metadata.wabaID == "200000000000002")
    }

    @Test func capturedTerminate() throws {
        guard case .callTerminate(let end)? = try events("webhook_terminate_user_initiated.json").first else {
            Issue.record("expected a terminate")
            return
        }
        #expect(end.status == .completed && end.duration == 110)
        #expect(end.startTime == Date(timeIntervalSince1970: 1_745_339_890))
        #expect(end.endTime == Date(timeIntervalSince1970: 1_745_340_000))
        #expect(end.errors.isEmpty)
    }

    @Test func businessInitiatedConnectWithAnswer() throws {
        guard case .callConnect(let connect)? = try events("webhook_connect_business_initiated.json").first else {
            Issue.record("expected a connect")
            return
        }
        #expect(connect.direction == .businessInitiated && connect.session?.sdpType == .answer)
        #expect(connect.bizOpaqueCallbackData == "sip-call-42" && connect.contactName == nil)
    }

    @Test func legacyConnectionWebRTCSDP() throws {
        guard case .callConnect(let connect)? = try events("webhook_connect_legacy_only.json").first else {
            Issue.record("expected a connect")
            return
        }
        #expect(connect.session?.sdpType == .answer)
        #expect(connect.session?.sdp.hasPrefix("v=0") == true)
        #expect(connect.direction == .businessInitiated)
        #expect(connect.timestamp == Date(timeIntervalSince1970: 1_745_339_900))
        #expect(WebhookDecoder.legacySession("v=0\r\ns=-\r\n")?.sdp == "v=0\r\ns=-\r\n")
        #expect(WebhookDecoder.legacySession("garbage") == nil)
    }

    @Test func failedTerminateWithErrorsInCallAndValue() throws {
        guard case .callTerminate(let end)? = try events("webhook_terminate_failed_errors.json").first else {
            Issue.record("expected a terminate")
            return
        }
        #expect(end.status == .failed && end.duration == nil)
        #expect(end.errors.count == 1)
        #expect(end.errors.first?.code == 138021 && end.errors.first?.title == "Media receive timeout")
        #expect(end.errors.first?.details == "No RTP for 20 s" && end.errors.first?.href == nil)
    }

    @Test func statusesAnyCaseAndUnknownIgnored() throws {
        let statuses = try events("webhook_statuses.json").compactMap { event -> CallProgress? in
            if case .callStatus(let status) = event { return status.status }
            return nil
        }
        #expect(statuses == [.ringing, .accepted, .rejected])
    }

    @Test func permissionReplyOnMessagesField() throws {
        guard case .permissionReply(let reply)? = try events("webhook_permission_reply.json").first else {
            Issue.record("expected a permission reply")
            return
        }
        #expect(reply.accepted && !reply.isPermanent && reply.from == "447700900123")
        #expect(reply.expiration == Date(timeIntervalSince1970: 1_745_943_800))
        #expect(reply.responseSource == "user_action" && reply.contextMessageID == "wamid.REQUEST1")
    }

    @Test func batchedEntriesAndChanges() throws {
        let events = try events("webhook_batched.json")
        #expect(events.map(\.kind) == ["connect", "account_update", "terminate"])
        if case .callTerminate(let end) = events[2] {
            #expect(end.status == .completed && end.duration == 7 && end.metadata.wabaID == "200000000000003")
        }
    }

    @Test func valueLevelErrorsAlone() throws {
        guard case .errors(let errors, _)? = try events("webhook_value_errors.json").first else {
            Issue.record("expected errors")
            return
        }
        #expect(errors == [WebhookError(code: 131000, title: "Something went wrong")])
    }

    @Test func everyFixtureDecodesWithoutThrowing() throws {
        for name in try Fixtures.all() {
            _ = try WebhookDecoder.decode(Fixtures.data(name))
        }
    }

    @Test func nonObjectsAreMalformed() {
        for body in ["", "[]", "\"x\"", "{", "42", "null"] {
            #expect(throws: WhatsAppCloudError.self) { try WebhookDecoder.decode(Data(body.utf8)) }
        }
        #expect((try? WebhookDecoder.decode(Data("{}".utf8)))?.isEmpty == true)
    }
}
