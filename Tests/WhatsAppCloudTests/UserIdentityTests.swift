import Foundation
import NetTypes
import Testing
@testable import WhatsAppCloud

/// Users Meta names by BSUID and username (docs/whatsapp.md#users-usernames-and-bsuids):
/// decoding with and without `from`, hostile identifiers, and requests by `recipient`.
@Suite struct UserIdentityTests {
    static let bsuid = "US.13491208655302741918"

    func events(_ name: String) throws -> [WebhookEvent] {
        try WebhookDecoder.decode(Fixtures.data(name))
    }

    /// A connect webhook as `calls[0]` fields and one contact, for hostile variations.
    func connect(_ call: [String: JSONValue], contact: [String: JSONValue]) throws -> CallConnectEvent {
        var item: [String: JSONValue] = ["id": "wacid.X", "event": "connect", "direction": "USER_INITIATED",
                                         "session": ["sdp_type": "offer", "sdp": "v=0"]]
        item.merge(call) { _, new in new }
        let body: JSONValue = ["entry": [["changes": [["field": "calls", "value": [
            "contacts": [.object(contact)], "calls": [.object(item)],
        ]]]]]]
        let events = try WebhookDecoder.decode(Data(GraphJSON.encoder.encode(body)))
        guard case .callConnect(let event)? = events.first else { throw WhatsAppCloudError.malformedWebhook("none") }
        return event
    }

    @Test func connectWithoutFromNamesTheUserByBSUIDAndUsername() throws {
        guard case .callConnect(let connect)? = try events("webhook_connect_bsuid_only.json").first else {
            Issue.record("expected a connect")
            return
        }
        #expect(connect.from == nil && connect.user.phone == nil)
        #expect(connect.user.userID?.rawValue == Self.bsuid)
        #expect(connect.user.parentUserID?.rawValue == "US.ENT.11815799212886844830")
        #expect(connect.user.username?.rawValue == "bob.example" && connect.user.profileName == "Bob Example")
        #expect(connect.user.rejected.isEmpty)
    }

    @Test func connectWithFromKeepsTheNumberAndAddsTheBSUID() throws {
        let event = try connect(["from": "447700900123", "from_user_id": .string(Self.bsuid)],
                                contact: ["wa_id": "447700900123", "user_id": .string(Self.bsuid),
                                          "profile": ["name": "Alice", "username": "alice_1"]])
        #expect(event.user.phone == "447700900123" && event.user.userID?.rawValue == Self.bsuid)
        #expect(event.user.username?.rawValue == "alice_1" && event.contactName == "Alice")
    }

    @Test func capturedConnectWithoutBSUIDStillDecodes() throws {
        guard case .callConnect(let connect)? = try events("webhook_connect_user_initiated.json").first else {
            Issue.record("expected a connect")
            return
        }
        #expect(connect.user.phone == "447700900123" && connect.user.userID == nil)
        #expect(connect.user.profileName == "Alice Example")
    }

    @Test func permissionReplyWithoutFromIsKeptByBSUID() throws {
        guard case .permissionReply(let reply)? = try events("webhook_permission_reply_bsuid.json").first else {
            Issue.record("expected a permission reply")
            return
        }
        #expect(reply.from == nil && reply.user.userID?.rawValue == Self.bsuid && reply.accepted && reply.isPermanent)
        #expect(reply.user.username?.rawValue == "bob.example")
        #expect(WebhookEvent.permissionReply(reply).deduplicationKey == "message.permission_reply:wamid.BSUIDREPLY")
    }

    @Test func permissionReplyNamingNobodyIsDropped() throws {
        let message: JSONValue = [
            "id": "wamid.Z", "from_user_id": "not a bsuid",
            "interactive": ["type": "call_permission_reply", "call_permission_reply": ["response": "accept"]],
        ]
        let change: JSONValue = ["field": "messages", "value": ["messages": [message]]]
        let body: JSONValue = ["entry": [["changes": [change]]]]
        #expect(try WebhookDecoder.decode(Data(GraphJSON.encoder.encode(body))).isEmpty)
    }

    @Test func statusNamesTheRecipientByBSUID() throws {
        guard case .callStatus(let status)? = try events("webhook_statuses_bsuid.json").first else {
            Issue.record("expected a status")
            return
        }
        #expect(status.recipientID == nil && status.recipient.userID?.rawValue == "GB.7700900123")
        #expect(status.recipient.parentUserID?.rawValue == "GB.ENT.990011")
    }

    @Test(arguments: [
        "US.1349<sip:evil@x>", "US.1349\r\nX-Evil: 1", "us.1349", "USA.1349", "US.", "US.ENT.", "1.2",
        "US." + String(repeating: "9", count: 129), "US.13 49", "US.1349%40", "ÜS.1349",
    ])
    func hostileBSUIDsAreDroppedAndNamed(_ value: String) throws {
        let event = try connect(["from_user_id": .string(value)], contact: [:])
        #expect(event.user.userID == nil)
        #expect(event.user.rejected == ["from_user_id"])
    }

    @Test func aParentWhereABSUIDBelongsAndTheOtherWayRoundAreDropped() throws {
        let event = try connect(["from_user_id": "US.ENT.1", "from_parent_user_id": .string(Self.bsuid)], contact: [:])
        #expect(event.user.userID == nil && event.user.parentUserID == nil)
        #expect(event.user.rejected == ["from_user_id", "from_parent_user_id"])
    }

    @Test func hostileUsernamesNamesAndNumbersAreDroppedOrCleaned() throws {
        let event = try connect(["from": "4477<>", "from_user_id": .string(Self.bsuid)], contact: [
            "user_id": .string(Self.bsuid),
            "profile": ["username": "bob\r\nX-Evil: 1", "name": .string("Eve\u{202E}\r\n" + String(repeating: "x", count: 300))],
        ])
        #expect(event.user.phone == nil && event.user.username == nil)
        #expect(event.user.rejected == ["from", "contacts.profile.username"])
        let name = try #require(event.user.profileName)
        #expect(name.count == WebhookUser.maximumNameLength && !name.contains("\r") && !name.contains("\u{202E}"))
    }

    @Test func bsuidShapes() {
        #expect(BusinessScopedUserID(Self.bsuid)?.isParent == false)
        #expect(BusinessScopedUserID("US.ENT.11815799212886844830")?.isParent == true)
        #expect(BusinessScopedUserID("BR.1502576394655843")?.countryCode == "BR")
        #expect(BusinessScopedUserID("US." + String(repeating: "a", count: 128)) != nil)
        #expect(BusinessScopedUserID("us.1349") == nil)
        #expect(BusinessScopedUserID("us.1349", lenientCountry: true)?.rawValue == "US.1349")
        #expect(WhatsAppUsername("@Bob.Example")?.rawValue == "Bob.Example")
        #expect(WhatsAppUsername("Bob.Example")?.comparisonKey == "bob.example")
        for bad in ["ab", "123", ".bob", "bob.", "bo..b", "bob smith", String(repeating: "a", count: 36)] {
            #expect(WhatsAppUsername(bad) == nil, "\(bad)")
        }
    }

    @Test func connectByBSUIDSendsRecipientAndNoTo() throws {
        let request = CallActionRequest.connect(to: Self.bsuid, offer: "v=0", bizOpaqueCallbackData: "wg-1")
        let json = try Fixtures.encoded(request)
        #expect(json["recipient"]?.stringValue == Self.bsuid && json["to"] == nil)
        let byNumber = try Fixtures.encoded(CallActionRequest.connect(to: "+447700900123", offer: "v=0"))
        #expect(byNumber["to"]?.stringValue == "447700900123" && byNumber["recipient"] == nil)
    }

    @Test func aKnownNumberWinsOverTheBSUID() throws {
        let both = try #require(WhatsAppRecipient(phone: "+447700900123", userID: BusinessScopedUserID(Self.bsuid)))
        #expect(both.to == "447700900123" && both.recipient == nil)
        #expect(both.permissionQuery == ("user_wa_id", "447700900123"))
        let bsuidOnly = try #require(WhatsAppRecipient(phone: nil, userID: BusinessScopedUserID(Self.bsuid)))
        #expect(bsuidOnly.permissionQuery == ("recipient", Self.bsuid))
        #expect(WhatsAppRecipient(phone: nil, userID: nil) == nil)
    }

    @Test func permissionRequestMessageByBSUID() throws {
        let json = try Fixtures.encoded(MessageRequest.callPermissionRequest(to: Self.bsuid, bodyText: "May we call?"))
        #expect(json["recipient"]?.stringValue == Self.bsuid && json["to"] == nil)
        #expect(json["recipient_type"]?.stringValue == "individual")
    }
}
