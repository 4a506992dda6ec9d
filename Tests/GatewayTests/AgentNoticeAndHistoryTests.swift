// What a browser agent learns about calls beyond ringing: the called number's
// section name in `incoming`, its own answers of ring-group calls in `history`
// (the CDR records which member's fork answered), and permission replies on every
// session of the user, away ones included.

import CallControl
import Config
import Foundation
import Logging
import Store
import TestSupport
import Testing
import WebAgents
@testable import Gateway

@Suite("Gateway: agent notices and history")
struct AgentNoticeAndHistoryTests {
    static let session = "s-alicebrowser0010"
    static let awaySession = "s-alicebrowser0011"
    /// A +44 caller reaches ring group `sales` (alice, bob) in the test configuration.
    static let salesCaller = WhatsAppEvent.userCall(wacid: WACID("wacid.g1"), caller: .phone("447700900125", name: "Zoe"),
                                                    number: nil, offer: "meta-offer")

    private func answeredBy(_ harness: AgentCallsHarness) async throws -> [SIPOrigin] {
        let call = try #require(await harness.lastCall())
        return harness.records.events(CallID(call)).compactMap { if case .answeredBy(let origin) = $0 { origin } else { nil } }
    }

    @Test("incoming.to carries the business number and its section name")
    func incomingNamesTheNumber() async throws {
        var config = GatewayConfig.test()
        config.numbers[0].name = "support-line"
        let harness = await AgentCallsHarness(config: config)
        harness.hub.login("alice", session: Self.session)
        await harness.webhook(Self.salesCaller)
        let incoming = try #require(harness.incoming(Self.session).first)
        #expect(incoming.to == AgentParty(number: config.numbers[0].businessNumber, name: "support-line"))
        #expect(AgentServerMessage.incoming(incoming).text.contains(#""to":{"name":"support-line","number":"#))
    }

    @Test("the implicit number of [whatsapp] has no section, so incoming.to has no name")
    func implicitNumberHasNoName() async throws {
        let harness = await AgentCallsHarness()
        harness.hub.login("alice", session: Self.session)
        await harness.webhook(Self.salesCaller)
        let incoming = try #require(harness.incoming(Self.session).first)
        #expect(incoming.to.name == nil && incoming.to.number != nil)
    }

    @Test("a ring-group call answered by bob's phone records answered_by user:bob")
    func phoneMemberAnswers() async throws {
        let harness = await AgentCallsHarness()
        harness.register("alice", host: "192.0.2.51")
        harness.register("bob", host: "192.0.2.52")
        await harness.webhook(Self.salesCaller)
        let bob = try #require(harness.stack.invites.first { $0.call.requestURI.hasPrefix("sip:bob@") })
        await harness.phone(bob.handle, 200, body: "v=0 phone")
        #expect(try await answeredBy(harness) == [.user("bob")])
    }

    @Test("a ring-group call answered in alice's browser (bob's phone ringing too) records answered_by user:alice")
    func browserMemberAnswers() async throws {
        let harness = await AgentCallsHarness()
        harness.register("bob", host: "192.0.2.52")
        harness.hub.login("alice", session: Self.session)
        await harness.webhook(Self.salesCaller)
        let incoming = try #require(harness.incoming(Self.session).first)
        await harness.page(.answer(call: incoming.call, sdp: "v=0 browser"), session: Self.session, user: "alice")
        #expect(try await answeredBy(harness) == [.user("alice")])
    }

    @Test("the CDR of a group call keeps the answering member, and that member's history lists it")
    func historyListsAnsweredGroupCall() async throws {
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try await GatewayStore.open(.init(location: .memory), logger: quiet)
        let records = StoreCallRecords(store: store, logger: quiet)
        let call = CallID("g1")
        let context = CallLogContext(callID: call)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        await records.record(.started(CallStart(direction: .inbound, from: "+447700900125", to: "group:sales")),
                             call: call, at: t0, context: context)
        await records.record(.answeredBy(.user("bob")), call: call, at: t0.addingTimeInterval(4), context: context)
        await records.record(.answered, call: call, at: t0.addingTimeInterval(5), context: context)
        var query = CallQuery(limit: 20)
        query.user = "bob"
        let bobs = try await store.calls(matching: query)
        #expect(bobs.map(\.callID) == ["g1"] && bobs.first?.answeredBy == "user:bob")
        #expect(bobs.map(AgentHistoryEntry.init(record:)).map(\.outcome) == ["answered"])
        query.user = "alice"
        #expect(try await store.calls(matching: query).isEmpty)
        try await store.close()
    }

    @Test("permission granted reaches every session of the user, the away one included")
    func permissionReachesAwaySessions() async throws {
        var config = GatewayConfig.test()
        config.numbers[0].permissionTemplate = PermissionTemplateConfig(name: "call_request", language: "en_US")
        let harness = await AgentCallsHarness(config: config)
        harness.hub.login("alice", session: Self.session)
        harness.hub.login("alice", session: Self.awaySession)
        harness.hub.sessions.withValue { $0[Self.awaySession]?.presence = .away }
        harness.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        let dialled = "+14085551234"
        await harness.page(.permissionRequest(to: dialled), session: Self.session, user: "alice", re: "p")
        harness.hub.sessions.withValue { $0[Self.session]?.presence = .away }
        await harness.webhook(.permissionReply(user: .phone(dialled), accepted: true, permanent: true, expiration: nil))
        let granted = AgentServerMessage.permission(
            AgentPermissionNotice(to: dialled, status: "granted", canRequest: false, requestSent: true))
        #expect(harness.hub.messages(to: Self.session).last == granted)
        #expect(harness.hub.messages(to: Self.awaySession) == [granted])
    }
}
