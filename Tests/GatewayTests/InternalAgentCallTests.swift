// A browser's internal call through the real agent and SIP adapters: `dial` to a
// user name rings that user's phone with the agent's name as caller id; the
// phone's answer reaches the page; the page's hang-up BYEs the phone.

import CallControl
import Config
import TestSupport
import Testing
import WebAgents
@testable import Gateway

@Suite("Gateway: a browser dials a user by name")
struct InternalAgentCallTests {
    static let session = "s-aliceinternal0001"

    @Test("bob's phone rings from alice, answers; the page gets progress and answered with wagate's answer; hangup BYEs bob")
    func dialsBob() async throws {
        let harness = await AgentCallsHarness()
        harness.hub.login("alice", session: Self.session)
        harness.register("bob", host: "10.0.0.2")
        await harness.page(.dial(to: "bob", sdp: "webrtc-offer"), session: Self.session, user: "alice")
        let invite = try #require(harness.stack.invites.first)
        #expect(invite.call.requestURI.hasPrefix("sip:bob@10.0.0.2"))
        #expect(invite.call.from.contains("sip:alice@"))
        #expect(invite.call.sdp.hasPrefix("sip-internal-offer-"))
        #expect(harness.journal.matching("wa.").isEmpty)
        await harness.phone(invite.handle, 180)
        await harness.phone(invite.handle, 200, body: "v=0 bob")
        let oks = harness.hub.messages(to: Self.session).compactMap { if case .ok(_, let call?) = $0 { call } else { nil } }
        let call = try #require(oks.first)
        let answered = harness.hub.messages(to: Self.session).contains {
            if case .answered(let id, let sdp) = $0 { id == call && sdp?.hasPrefix("browser-answer-") == true } else { false }
        }
        #expect(answered)
        await harness.page(.hangup(call: call), session: Self.session, user: "alice")
        #expect(harness.stack.byes.contains(invite.handle))
        #expect(await harness.control.activeCallCount == 0)
    }
}
