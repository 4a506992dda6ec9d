// Our address in the SIP headers of an outgoing INVITE: one rule for SDP and
// SIP, with `external_address` used only toward peers outside `local_networks`.

import CallControl
import Config
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: our address toward a peer")
struct LocalAddressTests {
    /// Trunk `lan` on a local network, trunk `far` beyond it; every +49 caller rings `lan`,
    /// every +33 caller rings `far`.
    static func config() -> GatewayConfig {
        var config = GatewayConfig.test()
        config.general.externalAddress = "203.0.113.5"
        config.general.localNetworks = [CIDR("192.0.2.0/24")!]
        config.trunks = [
            TrunkConfig(name: "lan", host: "192.0.2.10", maxCalls: 2, dial: "100"),
            TrunkConfig(name: "far", host: "2001:db8::7", port: 5080, transport: .tcp, maxCalls: 2, dial: "200"),
        ]
        config.inbound = InboundConfig(target: .trunk("far"), routes: [
            InboundRoute(pattern: NumberPattern("+49*")!, target: .trunk("lan")),
        ], ringTimeout: .seconds(25))
        return config
    }

    @Test("a trunk on a local network sees our local address, not external_address")
    func localPeer() async throws {
        let harness = await GatewayHarness(config: Self.config())
        await harness.webhook(.userCall(wacid: WACID("w1"), caller: .phone("4915112345678"), number: nil, offer: "o"))
        let invite = try #require(harness.stack.invites.first?.call)
        var direct = Self.config().general
        direct.externalAddress = nil
        #expect(invite.from == "<sip:+4915112345678@\(direct.localAddress(toward: "192.0.2.10"))>")
        #expect(!invite.from.contains("203.0.113.5"))
        #expect(invite.requestURI == "sip:100@192.0.2.10:5060")
    }

    @Test("a trunk beyond the local networks sees external_address; an IPv6 host is bracketed")
    func remotePeer() async throws {
        let harness = await GatewayHarness(config: Self.config())
        await harness.webhook(.userCall(wacid: WACID("w2"), caller: .phone("33612345678", name: "Zoe"), number: nil, offer: "o"))
        let invite = try #require(harness.stack.invites.first?.call)
        #expect(invite.from == "\"Zoe\" <sip:+33612345678@203.0.113.5>")
        #expect(invite.headers == ["P-Asserted-Identity: \"Zoe\" <sip:+33612345678@203.0.113.5>"])
        #expect(invite.requestURI == "sip:200@[2001:db8::7]:5080;transport=tcp")
        #expect(invite.to == "<sip:200@[2001:db8::7]:5080;transport=tcp>")
    }
}
