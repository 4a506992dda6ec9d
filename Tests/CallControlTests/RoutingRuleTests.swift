// Call control's routing rules with trunk rewrites that differ when applied
// twice, and the echo extension as a routing decision.

import Config
import TestSupport
import Testing
@testable import CallControl

@Suite("Routing rules")
struct RoutingRuleTests {
    /// Trunk pbx with `inbound_strip = 2`, `inbound_prefix = 0049`,
    /// `outbound_strip = 1`, `outbound_prefix = 00`; every +49 number routes to it.
    static let config: GatewayConfig = {
        var config = GatewayConfig.test()
        config.trunks = [TrunkConfig(
            name: "pbx", host: "192.0.2.10", policy: DestinationPolicy(allow: [NumberPattern("+49*")!]),
            maxCalls: 1, inboundStrip: 2, inboundPrefix: "0049", outboundStrip: 1, outboundPrefix: "00", dial: "100")]
        return config
    }()

    private func invite(_ dialled: String, from origin: SIPOrigin) -> IncomingInvite {
        IncomingInvite(leg: SIPLegID("l"), sipCallID: "s", origin: origin, dialled: dialled, sdpOffer: "o")
    }

    @Test("a trunk's dialled number is rewritten before the dial plan and the policy")
    func inboundRewriteFirst() throws {
        let admission = Admission(config: Self.config)
        let admitted = try admission.admit(invite("991701234567", from: .trunk("pbx")), activeCalls: 0,
                                           activeCallsByOwner: [:], draining: false).get()
        #expect(admitted.user.phone == "+491701234567")
        // "*#…" is not a number as dialled, but the rewrite drops those two characters.
        #expect((try? admission.admit(invite("*#1701234567", from: .trunk("pbx")), activeCalls: 0,
                                      activeCallsByOwner: [:], draining: false).get())?.user.phone == "+491701234567")
    }

    @Test("the caller number a trunk receives is rewritten once, by the router")
    func outboundRewriteOnce() {
        let plan = InboundRouter(config: Self.config).plan(forCaller: "+4915112345678", contacts: { _ in [] },
                                                           isAtLimit: { _ in false })
        #expect(plan.stages == [RingStage(targets: [.trunk("pbx")], callerNumber: "004915112345678")])
    }

    @Test("the echo extension is the echo test for users only; without one configured nothing is")
    func echoExtension() {
        let admission = Admission(config: Self.config)
        #expect(admission.isEchoTest(invite("*43", from: .user("alice"))))
        #expect(!admission.isEchoTest(invite("*43", from: .trunk("pbx"))))
        #expect(!admission.isEchoTest(invite("*431", from: .user("alice"))))
        var config = Self.config
        config.general.echoExtension = nil
        #expect(!Admission(config: config).isEchoTest(invite("*43", from: .user("alice"))))
    }

    @Test("call control sends a user's echo extension INVITE to the echo test, not to Graph")
    func echoThroughControl() async {
        let harness = Harness(config: Self.config)
        await harness.control.handleIncomingInvite(invite("*43", from: .user("alice")))
        await harness.control.waitUntilIdle()
        #expect(harness.journal.count("echo.open") == 1)
        #expect(harness.journal.count("wa.") == 0)
    }
}
