// A trunk's number rewrites through the SIP adapter and call control, with
// settings that give a different result when applied twice: the adapter must
// render what call control decided, never rewrite again.

import CallControl
import Config
import SIP
import TestSupport
import Testing

extension GatewayConfig {
    /// The test configuration with trunk `pbx` set to `inbound_strip = 2`,
    /// `inbound_prefix = 0049`, `outbound_strip = 1`, `outbound_prefix = 00`,
    /// and a trunk `fr` (policy +49*) whose `inbound_strip = 1` and
    /// `inbound_prefix = 0033` turn `+49…` into a French number.
    static func rewriting() -> GatewayConfig {
        var config = GatewayConfig.test()
        let germany = DestinationPolicy(allow: [NumberPattern("+49*")!])
        config.trunks = [
            TrunkConfig(name: "pbx", host: "192.0.2.10", policy: germany, maxCalls: 2, inboundStrip: 2,
                        inboundPrefix: "0049", outboundStrip: 1, outboundPrefix: "00", dial: "100"),
            TrunkConfig(name: "fr", host: "192.0.2.11", policy: germany, maxCalls: 2, inboundStrip: 1,
                        inboundPrefix: "0033", dial: "100"),
        ]
        return config
    }
}

@Suite("Gateway: trunk rewrites")
struct TrunkRewriteTests {
    @Test("a WhatsApp user's call to a trunk carries the caller number rewritten once, in From and PAI")
    func outboundCallerRewrittenOnce() async throws {
        let harness = await GatewayHarness(config: .rewriting())
        await harness.webhook(.userCall(wacid: WACID("wacid.de"), caller: .phone("4915112345678", name: "Zoe"), number: nil,
                                        offer: "meta-offer"))
        let invite = try #require(harness.stack.invites.first?.call)
        #expect(invite.requestURI == "sip:100@192.0.2.10:5060")
        #expect(invite.from.contains("<sip:004915112345678@"))
        #expect(invite.headers.contains { $0.hasPrefix("P-Asserted-Identity:") && $0.contains("<sip:004915112345678@") })
        #expect(invite.from.hasPrefix("\"Zoe\" "))
    }

    @Test("a trunk's call is connected to the number its inbound_strip and inbound_prefix give")
    func inboundDialledRewritten() async throws {
        let harness = await GatewayHarness(config: .rewriting())
        await harness.invite("991701234567", from: .trunk("pbx"))
        #expect(harness.journal.matching("wa.connect").first?.hasPrefix("wa.connect +491701234567 ") == true)
    }

    @Test("a number the trunk's rewrite takes outside its policy is refused 403 and never reaches Graph")
    func inboundRewriteRefused() async throws {
        let harness = await GatewayHarness(config: .rewriting())
        let handle = await harness.invite("+491701234567", from: .trunk("fr"))
        #expect(harness.stack.responses(on: handle).last?.status == 403)
        #expect(harness.journal.matching("wa.connect").isEmpty)
    }
}
