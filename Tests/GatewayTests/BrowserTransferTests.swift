// Blind transfers with browsers on either end, through the real SIP and agent
// adapters and call control: a browser hands its call to a phone, a phone's REFER
// rings a browser (`incoming {direction: transfer, referred_by}`), and a transfer
// nobody answers rings the transferring browser again.

import CallControl
import Config
import TestSupport
import Testing
import WebAgents
@testable import Gateway
@testable import SIP

@Suite("Gateway: blind transfer to and from a browser")
struct BrowserTransferTests {
    static let alice = "s-alicebrowser0010"
    static let bob = "s-bobbrowser000010"

    /// A WhatsApp call (to alice, the default route) answered by alice's browser.
    private func answeredByBrowser(_ harness: AgentCallsHarness) async throws -> (CallID, AgentIncoming) {
        harness.hub.login("alice", session: Self.alice)
        await harness.webhook(.userCall(wacid: WACID("wacid.bt1"), caller: .phone("14155550123", name: "Zoe"),
                                        number: nil, offer: "meta-offer"))
        let incoming = try #require(harness.incoming(Self.alice).first)
        await harness.page(.answer(call: incoming.call, sdp: "v=0 alice"), session: Self.alice, user: "alice")
        return (CallID(try #require(await harness.lastCall())), incoming)
    }

    private func ended(_ harness: AgentCallsHarness, _ session: String) -> [AgentEnded] {
        harness.hub.messages(to: session).compactMap { if case .ended(let ended) = $0 { ended } else { nil } }
    }

    @Test("browser → phone: the browser side is detached, bob's phone answers our offer and is bridged")
    func browserToPhone() async throws {
        let harness = await AgentCallsHarness()
        harness.register("bob", host: "192.0.2.51")
        let (call, incoming) = try await answeredByBrowser(harness)
        await harness.page(.transfer(call: incoming.call, to: "bob", replaces: nil), session: Self.alice, user: "alice")
        #expect(harness.journal.contains("media.detach \(call) ringback"))
        #expect(ended(harness, Self.alice) == [AgentEnded(call: incoming.call, reason: "normal", by: "agent",
                                                         detail: "transferred to bob")])
        let invite = try #require(harness.stack.invites.last)
        #expect(invite.call.requestURI.hasPrefix("sip:bob@192.0.2.51"))
        await harness.phone(invite.handle, 200, body: "v=0 bob")
        #expect(harness.journal.contains("media.setSIPRemote \(call) v=0 bob"))
        #expect(harness.journal.matching("media.bridge \(call)").count == 2, "bridged again, now to bob")
        await harness.webhook(.terminate(wacid: WACID("wacid.bt1"), completed: true, duration: 9, errors: [],
                                         opaque: call.rawValue))
        #expect(harness.stack.byes == [invite.handle])
        #expect(ended(harness, Self.alice).count == 1, "the page heard of its leg's end once")
    }

    @Test("phone → browser: a REFER to bob rings bob's browser as a transfer from alice; its answer is bridged")
    func phoneToBrowser() async throws {
        let harness = await AgentCallsHarness()
        harness.register("alice", host: "192.0.2.52")
        harness.hub.login("bob", session: Self.bob)
        await harness.webhook(.userCall(wacid: WACID("wacid.bt2"), caller: .phone("14155550123", name: "Zoe"),
                                        number: nil, offer: "meta-offer"))
        let call = CallID(try #require(await harness.lastCall()))
        let alicePhone = try #require(harness.stack.invites.first?.handle)
        await harness.phone(alicePhone, 200, body: "v=0 alice")
        await harness.event(.refer(alicePhone, ReferRequest(referTo: "sip:bob@wagate", targetUser: "bob")))
        let ringing = try #require(harness.incoming(Self.bob).first)
        #expect(ringing.direction == "transfer")
        #expect(ringing.referredBy == "alice")
        #expect(ringing.from.number == "+14155550123", "bob sees the WhatsApp user")
        #expect(harness.journal.contains("agentMedia.offer \(call)"))
        await harness.page(.answer(call: ringing.call, sdp: "v=0 bob"), session: Self.bob, user: "bob")
        #expect(harness.journal.contains("agentMedia.answered \(call) v=0 bob"))
        #expect(harness.journal.matching("media.setSIPRemote \(call)") == ["media.setSIPRemote \(call) v=0 alice"],
                "the browser's media was attached by the agent adapter")
        #expect(harness.journal.matching("media.bridge \(call)").count == 2)
        #expect(harness.stack.byes == [alicePhone])
        await harness.webhook(.terminate(wacid: WACID("wacid.bt2"), completed: true, duration: 9, errors: [],
                                         opaque: call.rawValue))
        #expect(ended(harness, Self.bob) == [AgentEnded(call: ringing.call, reason: "normal", by: "whatsapp")])
    }

    @Test("no answer: bob's phone fails, alice's browser rings again (no referred_by) and takes the call back")
    func noAnswerReturnsToTheBrowser() async throws {
        let harness = await AgentCallsHarness()
        harness.register("bob", host: "192.0.2.53")
        let (call, incoming) = try await answeredByBrowser(harness)
        await harness.page(.transfer(call: incoming.call, to: "bob", replaces: nil), session: Self.alice, user: "alice")
        let invite = try #require(harness.stack.invites.last)
        await harness.phone(invite.handle, 480)
        let again = try #require(harness.incoming(Self.alice).last)
        #expect(again.call != incoming.call)
        #expect(again.direction == "transfer" && again.referredBy == nil)
        #expect(harness.journal.matching("media.reoffer \(call)").count == 2, "a fresh offer for the fallback")
        await harness.page(.answer(call: again.call, sdp: "v=0 alice again"), session: Self.alice, user: "alice")
        #expect(harness.journal.contains("agentMedia.answered \(call) v=0 alice again"))
        #expect(harness.journal.matching("media.bridge \(call)").count == 2)
        #expect(harness.journal.matching("wa.terminate").isEmpty, "the call goes on with alice")
    }

    @Test("an operator's hang-up reaches the page as ended by gateway with the operator's detail")
    func operatorHangUpIsTheGateways() async throws {
        let harness = await AgentCallsHarness()
        let (call, incoming) = try await answeredByBrowser(harness)
        #expect(await harness.control.hangUp(call))
        await harness.settle()
        let ended = try #require(ended(harness, Self.alice).first)
        #expect(ended.call == incoming.call && ended.by == "gateway" && ended.detail == "hung up by an operator")
    }
}
