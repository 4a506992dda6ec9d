// Numbers added and removed while the gateway runs, through the composition
// layer: a number added to call control rings its target on the next webhook,
// a removed one rings nothing, and a call in progress on a removed number still
// gets its webhooks and ends normally.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway
@testable import SIP

@Suite("Numbers added and removed at runtime")
struct RuntimeNumberTests {
    static let onboarded = NumberConfig(
        name: "acme", phoneNumberID: "333", businessNumber: "+15550109999", wabaID: "900",
        accessToken: Secret("business-token"),
        inbound: InboundConfig(target: .user("bob"), routes: [], ringTimeout: .seconds(20)), dialPrefix: "*3")

    private func body(_ event: String, wacid: String, phoneNumberID: String) -> String {
        let session = event == "connect" ? #","session":{"sdp_type":"offer","sdp":"v=0 meta"}"# : #","status":"COMPLETED""#
        return """
            {"object":"whatsapp_business_account","entry":[{"id":"900","changes":[{"field":"calls","value":{
            "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550109999","phone_number_id":"\(phoneNumberID)"},
            "contacts":[{"profile":{"name":"Zoe"},"wa_id":"14085550001"}],
            "calls":[{"id":"\(wacid)","from":"14085550001","to":"15550109999","event":"\(event)","timestamp":"1800000000",
            "direction":"USER_INITIATED"\(session)}]}}]}]}
            """
    }

    private func deliver(_ body: String, to harness: GatewayHarness) async throws {
        for event in try WebhookDecoder.decode(Data(body.utf8)) {
            guard let mapped = WebhookMapping.event(event) else { continue }
            await harness.control.handleWebhook(mapped, number: WebhookMapping.number(event))
        }
        await harness.settle()
    }

    @Test("an added number rings its target at once; once removed it rings nothing")
    func addAndRemove() async throws {
        let harness = await GatewayHarness(config: .twoNumbers)
        harness.register("bob", host: "192.0.2.22")
        try await deliver(body("connect", wacid: "wacid.before", phoneNumberID: "333"), to: harness)
        #expect(harness.stack.invites.isEmpty)
        #expect(await harness.control.addNumber(Self.onboarded))
        try await deliver(body("connect", wacid: "wacid.added", phoneNumberID: "333"), to: harness)
        #expect(harness.stack.invites.map(\.call.requestURI) == ["sip:bob@192.0.2.22:5062"])
        let served = await harness.control.servedNumbers()
        #expect(served.numbers.map(\.name) == ["sales", "support", "acme"] && served.runtime == ["333"])
        #expect(await harness.control.removeNumber("333")?.name == "acme")
        try await deliver(body("connect", wacid: "wacid.after", phoneNumberID: "333"), to: harness)
        #expect(harness.stack.invites.count == 1)
    }

    @Test("a call in progress on a removed number still gets its terminate")
    func callInProgressFinishes() async throws {
        let harness = await GatewayHarness(config: .twoNumbers)
        harness.register("bob", host: "192.0.2.22")
        await harness.control.addNumber(Self.onboarded)
        try await deliver(body("connect", wacid: "wacid.live", phoneNumberID: "333"), to: harness)
        #expect(await harness.control.activeCallCount == 1)
        await harness.control.removeNumber("333")
        try await deliver(body("terminate", wacid: "wacid.live", phoneNumberID: "333"), to: harness)
        #expect(await harness.control.activeCallCount == 0)
    }

    @Test("a config-file number cannot be replaced or removed at runtime")
    func configNumbersStay() async {
        let harness = await GatewayHarness(config: .twoNumbers)
        var clash = Self.onboarded
        clash.phoneNumberID = "111"
        #expect(await harness.control.addNumber(clash) == false)
        #expect(await harness.control.removeNumber("111") == nil)
        #expect(await harness.control.servedNumbers().numbers.count == 2)
    }

    @Test("a phone without a numbers list calls out from an onboarded number by its dial prefix")
    func outboundByPrefix() async {
        let config = GatewayConfig.twoNumbers
        var admission = Admission(config: config)
        admission.config.numbers.append(Self.onboarded)
        admission.runtimeNumbers = ["333"]
        #expect(admission.allowedNumbers(.user("bob")).map(\.name) == ["sales", "acme"])
        // A phone with a numbers list keeps to it.
        #expect(admission.allowedNumbers(.user("alice")).map(\.name) == ["sales", "support"])
    }
}
