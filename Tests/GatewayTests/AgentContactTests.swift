// A browser session is one of its user's contacts: a user with a phone and a
// browser rings on both, and a call the browser took counts against the user's
// max_calls exactly as a phone's does.

import CallControl
import Config
import TestSupport
import Testing
import WebAgents
@testable import Gateway

@Suite("Gateway: a browser is one of its user's contacts")
struct AgentContactTests {
    static let session = "s-alicebrowser0003"

    @Test("alice with a registered phone and a browser: both ring for a call to alice")
    func phoneAndBrowserRing() async throws {
        let harness = await AgentCallsHarness()
        harness.register("alice", host: "192.0.2.41")
        harness.hub.login("alice", session: Self.session)
        await harness.webhook(.userCall(wacid: WACID("wacid.c1"), caller: .phone("14155550123", name: "Zoe"),
                                        number: nil, offer: "meta-offer"))
        #expect(harness.stack.invites.map { $0.call.requestURI.hasPrefix("sip:alice@192.0.2.41") } == [true])
        #expect(harness.incoming(Self.session).count == 1)
    }

    @Test("an away or disconnected session does not ring; with nothing else the call is refused")
    func awaySessionDoesNotRing() async throws {
        let harness = await AgentCallsHarness()
        harness.hub.login("alice", session: Self.session)
        harness.hub.sessions.withValue { $0[Self.session]?.presence = .away }
        await harness.webhook(.userCall(wacid: WACID("wacid.c2"), caller: .phone("14155550123", name: "Zoe"),
                                        number: nil, offer: "meta-offer"))
        #expect(harness.incoming(Self.session).isEmpty)
        #expect(harness.journal.contains("wa.reject wacid.c2"))
    }

    @Test("max_calls = 1: while alice's browser is in a call, a second call to alice does not ring her")
    func browserCallCountsAgainstMaxCalls() async throws {
        var config = GatewayConfig.test()
        config.users[0].maxCalls = 1
        let harness = await AgentCallsHarness(config: config)
        harness.hub.login("alice", session: Self.session)
        await harness.webhook(.userCall(wacid: WACID("wacid.c3"), caller: .phone("14155550123", name: "Zoe"),
                                        number: nil, offer: "meta-offer"))
        let first = try #require(harness.incoming(Self.session).first)
        await harness.page(.answer(call: first.call, sdp: "v=0 browser"), session: Self.session, user: "alice")
        await harness.webhook(.userCall(wacid: WACID("wacid.c4"), caller: .phone("14155550124", name: "Ann"),
                                        number: nil, offer: "meta-offer"))
        #expect(harness.incoming(Self.session).count == 1)
        #expect(harness.journal.contains("wa.reject wacid.c4"))
    }
}
