// Trunk health from the OPTIONS keepalive, and routing that skips a down trunk.

import CallControl
import Config
import Logging
import SIP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: trunk health")
struct TrunkHealthTests {
    private func health() -> TrunkHealth {
        TrunkHealth(config: .test(), registry: nil, logger: Logger(label: "trunk-health-tests"))
    }

    @Test("a trunk is down after two probes without an answer and up again on the first answer")
    func downAfterMissesUpOnAnswer() {
        let health = health()
        health.probed("pbx", status: 408)
        #expect(health.isUp("pbx"))
        health.probed("pbx", status: 503)
        #expect(!health.isUp("pbx"))
        health.probed("pbx", status: 404)
        #expect(health.isUp("pbx"), "any answer, even an error, proves the trunk is there")
        #expect(health.isUp("unknown"))
    }

    @Test("one probe per trunk in flight; answers of other requests are not taken for probes")
    func oneProbeInFlight() {
        let health = health()
        var next: UInt64 = 0
        let make = { () -> SIPHandle in next += 1; return SIPHandle(rawValue: next) }
        let first = health.startProbe("pbx", handle: make)
        #expect(first != nil)
        #expect(health.startProbe("pbx", handle: make) == nil)
        #expect(!health.probeAnswered(SIPHandle(rawValue: 99), status: 200))
        #expect(health.probeAnswered(first!, status: 200))
        #expect(health.startProbe("pbx", handle: make) != nil)
    }

    @Test("probes go to the trunk's host, port and transport")
    func probeURI() throws {
        var trunk = try #require(GatewayConfig.test().trunk(named: "pbx"))
        #expect(TrunkHealth.probeURI(trunk) == "sip:192.0.2.10:5060")
        trunk.host = "2001:db8::1"
        trunk.transport = .tcp
        #expect(TrunkHealth.probeURI(trunk) == "sip:[2001:db8::1]:5060;transport=tcp")
    }

    @Test("a WhatsApp user's call to a down trunk is not sent there; it is once the trunk answers again")
    func routingSkipsDownTrunk() async throws {
        let harness = await GatewayHarness()
        harness.signaling.trunkHealth.probed("pbx", status: 408)
        harness.signaling.trunkHealth.probed("pbx", status: 408)
        await harness.webhook(.userCall(wacid: WACID("wacid.in1"), caller: .phone("4930123456"), number: nil,
                                        offer: "meta-offer"))
        #expect(harness.stack.invites.isEmpty)
        #expect(harness.journal.contains("wa.reject wacid.in1"))
        harness.signaling.trunkHealth.probed("pbx", status: 200)
        await harness.webhook(.userCall(wacid: WACID("wacid.in2"), caller: .phone("4930123456"), number: nil,
                                        offer: "meta-offer"))
        #expect(harness.stack.invites.count == 1)
        #expect(harness.stack.invites.first?.call.requestURI.hasPrefix("sip:100@192.0.2.10") == true)
    }
}
