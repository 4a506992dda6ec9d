// One winner across phones and browsers: a ring group with alice's browser and
// bob's phone, each answering first; every fork failing; CTA reaching the page.

import CallControl
import Config
import TestSupport
import Testing
import WebAgents
@testable import Gateway
@testable import SIP

@Suite("Gateway: a browser rings beside phones")
struct BusinessSignalingForkTests {
    static let session = "s-alicebrowser0001"

    /// `sales` (alice + bob, simultaneous) is rung for +44 callers: alice has a
    /// browser, bob a phone. Returns the harness, the phone fork and the page's call.
    private func ringing(cta: String? = nil) async throws -> (AgentCallsHarness, SIPHandle, AgentIncoming) {
        let harness = await AgentCallsHarness()
        harness.hub.login("alice", session: Self.session)
        harness.register("bob", host: "192.0.2.31")
        await harness.webhook(.userCall(wacid: WACID("wacid.b1"), caller: .phone("447700900123", name: "Jo"),
                                        number: nil, offer: "meta-offer",
                                        context: InboundCallContext(ctaPayload: cta, deeplinkPayload: nil)))
        let phone = try #require(harness.stack.invites.first?.handle)
        let incoming = try #require(harness.incoming(Self.session).first)
        return (harness, phone, incoming)
    }

    @Test("media is opened for Opus, and the page sees caller, name, called number and CTA payload")
    func incomingShowsCaller() async throws {
        let (harness, _, incoming) = try await ringing(cta: "order-4711")
        let call = try #require(await harness.lastCall())
        #expect(harness.journal.contains("media.openInbound \(call) opus"))
        #expect(incoming.from.number == "+447700900123")
        #expect(incoming.from.name == "Jo")
        #expect(incoming.ctaPayload == "order-4711")
        #expect(incoming.sdp == "browser-offer-\(incoming.call)")
        #expect(incoming.direction == "whatsapp")
    }

    @Test("the phone answers first: the browser gets cancelled answered_elsewhere and its leg is released")
    func phoneFirst() async throws {
        let (harness, phone, incoming) = try await ringing()
        let call = try #require(await harness.lastCall())
        await harness.page(.ringing(call: incoming.call), session: Self.session, user: "alice")
        #expect(!harness.journal.matching("wa.pre_accept").isEmpty)
        await harness.phone(phone, 200, body: "v=0 phone")
        #expect(harness.hub.messages(to: Self.session).contains(.cancelled(call: incoming.call, reason: .answeredElsewhere)))
        #expect(harness.journal.contains("agentMedia.release \(call)"))
        #expect(harness.journal.contains("media.setSIPRemote \(call) v=0 phone"))
        #expect(!harness.journal.matching("wa.accept ").isEmpty)
        #expect(harness.stack.cancels.isEmpty)
        await harness.page(.answer(call: incoming.call, sdp: "late"), session: Self.session, user: "alice", re: "late")
        #expect(!harness.journal.contains("agentMedia.answered \(call) late"))
    }

    @Test("the browser answers first: the phone gets CANCEL, the call is accepted without an SDP for the SIP side")
    func browserFirst() async throws {
        let (harness, phone, incoming) = try await ringing()
        let call = try #require(await harness.lastCall())
        await harness.phone(phone, 180)
        #expect(harness.journal.count("wa.pre_accept") == 1)
        await harness.page(.answer(call: incoming.call, sdp: "v=0 browser"), session: Self.session, user: "alice")
        #expect(harness.journal.contains("agentMedia.answered \(call) v=0 browser"))
        #expect(harness.stack.cancels == [phone])
        #expect(harness.journal.count("wa.pre_accept") == 1, "one pre_accept for the whole leg")
        #expect(!harness.journal.matching("wa.accept ").isEmpty)
        #expect(harness.journal.matching("media.setSIPRemote").isEmpty)
        #expect(harness.hub.messages(to: Self.session).contains(.answered(call: incoming.call, sdp: nil)))
        await harness.phone(phone, 200, body: "v=0 late")
        #expect(harness.stack.byes == [phone], "a late 2xx of the phone is hung up")
    }

    @Test("a phone's 2xx while the browser's media attaches loses: the browser claimed the answer first")
    func phoneAnswersWhileBrowserAttaches() async throws {
        let (harness, phone, _) = try await ringing()
        let call = try #require(await harness.lastCall())
        #expect(await harness.business.claim(SIPLegID("\(call)/leg1~a1")))
        #expect(harness.stack.cancels == [phone])
        await harness.phone(phone, 200, body: "v=0 phone")
        #expect(harness.stack.byes == [phone])
        #expect(harness.journal.matching("media.setSIPRemote").isEmpty)
        #expect(harness.journal.matching("wa.accept ").isEmpty, "call control waits for the browser's answer")
    }

    @Test("the page transfers an answered call to bob: bob's phone rings, the page hears trying then ended by agent")
    func blindTransferFromThePage() async throws {
        let harness = await AgentCallsHarness()
        harness.hub.login("alice", session: Self.session)
        harness.register("bob", host: "192.0.2.32")
        await harness.webhook(.userCall(wacid: WACID("wacid.t1"), caller: .phone("14155550123", name: "Zoe"),
                                        number: nil, offer: "meta-offer"))
        let incoming = try #require(harness.incoming(Self.session).first)
        await harness.page(.answer(call: incoming.call, sdp: "v=0 browser"), session: Self.session, user: "alice")
        #expect(harness.stack.invites.isEmpty)
        await harness.page(.transfer(call: incoming.call, to: "bob", replaces: nil), session: Self.session, user: "alice")
        let invite = try #require(harness.stack.invites.first)
        #expect(invite.call.requestURI.hasPrefix("sip:bob@192.0.2.32"))
        let messages = harness.hub.messages(to: Self.session)
        let notices = messages.compactMap { if case .transfer(let notice) = $0 { notice } else { nil } }
        #expect(notices == [AgentTransferNotice(call: incoming.call, state: "trying", to: "bob", sipStatus: 100),
                            AgentTransferNotice(call: incoming.call, state: "completed", to: "bob", sipStatus: 200)])
        #expect(messages.last == .ended(AgentEnded(call: incoming.call, reason: "normal", by: "agent",
                                                   detail: "transferred to bob")))
    }

    @Test("every fork fails: one failure, the 6xx wins over a 486")
    func allFailed() async throws {
        let (harness, phone, incoming) = try await ringing()
        let call = try #require(await harness.lastCall())
        await harness.phone(phone, 486)
        #expect(harness.journal.matching("wa.reject").isEmpty, "the browser still rings")
        await harness.page(.reject(call: incoming.call, reason: .decline), session: Self.session, user: "alice")
        #expect(harness.journal.contains("agentMedia.release \(call)"))
        let ended = harness.records.events.current.compactMap { entry -> CallEnding? in
            if case .ended(let ending) = entry.1 { ending } else { nil }
        }
        #expect(ended.first?.sipStatus == 603)
    }

    @Test("a contact URI of another user's session does not ring")
    func foreignSessionDoesNotRing() async throws {
        let harness = await AgentCallsHarness()
        harness.hub.login("bob", session: Self.session)
        let call = OutgoingSIPCall(leg: SIPLegID("x/leg1"), targets: [.contact(user: "alice", uri: "wagate-agent:" + Self.session)],
                                   callerNumber: "+447700900123", callerDisplayName: nil, sdpOffer: "")
        await harness.business.placeCall(call, context: CallLogContext(callID: CallID("x")))
        #expect(harness.incoming(Self.session).isEmpty)
    }
}
