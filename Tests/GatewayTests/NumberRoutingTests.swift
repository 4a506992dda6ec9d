// Business numbers through the composition layer: a signed-and-decoded webhook
// body is routed by its metadata.phone_number_id to that number's inbound plan,
// a body for a number not configured rings nothing, and an INVITE's identity
// header picks the number its Graph requests go through.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway
@testable import SIP

@Suite("Routing by business number")
struct NumberRoutingTests {
    static let config = GatewayConfig.twoNumbers

    /// A user-initiated connect webhook body, as Meta sends it, for `phoneNumberID`.
    private func connectBody(wacid: String, phoneNumberID: String) -> String {
        """
        {"object":"whatsapp_business_account","entry":[{"id":"900","changes":[{"field":"calls","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\(phoneNumberID)"},
        "contacts":[{"profile":{"name":"Zoe"},"wa_id":"14085550001"}],
        "calls":[{"id":"\(wacid)","from":"14085550001","to":"15550100001","event":"connect","timestamp":"1800000000",
        "direction":"USER_INITIATED","session":{"sdp_type":"offer","sdp":"v=0 meta"}}]}}]}]}
        """
    }

    /// Decodes `body` and hands each event to call control as the webhook service does.
    private func deliver(_ body: String, to harness: GatewayHarness) async throws {
        for event in try WebhookDecoder.decode(Data(body.utf8)) {
            guard let mapped = WebhookMapping.event(event) else { continue }
            await harness.control.handleWebhook(mapped, number: WebhookMapping.number(event))
        }
        await harness.settle()
    }

    @Test("a call to the second number rings its own target; one to the first rings [inbound]")
    func routedByPhoneNumberID() async throws {
        let harness = await GatewayHarness(config: Self.config)
        harness.register("alice", host: "192.0.2.21")
        harness.register("bob", host: "192.0.2.22")
        try await deliver(connectBody(wacid: "wacid.s", phoneNumberID: "222"), to: harness)
        #expect(harness.stack.invites.map(\.call.requestURI) == ["sip:bob@192.0.2.22:5062"])
        try await deliver(connectBody(wacid: "wacid.m", phoneNumberID: "111"), to: harness)
        #expect(harness.stack.invites.map(\.call.requestURI).last == "sip:alice@192.0.2.21:5062")
    }

    @Test("a call to a number not configured rings nothing and nothing is rejected")
    func unknownNumberIgnored() async throws {
        let harness = await GatewayHarness(config: Self.config)
        harness.register("alice", host: "192.0.2.21")
        try await deliver(connectBody(wacid: "wacid.x", phoneNumberID: "333"), to: harness)
        #expect(harness.stack.invites.isEmpty)
        #expect(harness.whatsApp.numbersUsed.current.isEmpty)
        #expect(await harness.control.activeCallCount == 0)
    }

    @Test("a trunk without dial is sent the business number called, as a DID")
    func trunkGetsCalledNumber() async throws {
        let text = """
            [pbx]
            type = trunk
            host = 192.0.2.10

            [office]
            type = trunk
            host = 192.0.2.11
            dial = 100

            [sales]
            type = number
            phone_number_id = 111
            business_number = +15550100000
            inbound_target = trunk:office

            [support]
            type = number
            phone_number_id = 222
            business_number = +15550100001
            inbound_target = trunk:pbx
            """
        let config = try ConfigLoader.parse(text: text, file: "sip.conf", environment: [:], baseDirectory: "/x")
        let harness = await GatewayHarness(config: config)
        try await deliver(connectBody(wacid: "wacid.s", phoneNumberID: "222"), to: harness)
        try await deliver(connectBody(wacid: "wacid.m", phoneNumberID: "111"), to: harness)
        #expect(harness.stack.invites.map(\.call.requestURI) == ["sip:+15550100001@192.0.2.10:5060",
                                                                 "sip:100@192.0.2.11:5060"])
    }

    @Test("P-Preferred-Identity on an INVITE picks the business number the connect goes through")
    func preferredIdentityFromSIP() async {
        let harness = await GatewayHarness(config: Self.config)
        var request = SIPRequest(
            method: "INVITE", requestURI: "sip:+14085551234@gw", requestUser: "+14085551234", fromUser: "alice",
            callID: "ppi-call", body: Array("v=0 phone-offer".utf8),
            source: SIPSource(host: "192.0.2.50", port: 5060, transport: "udp"))
        request.preferredIdentity = "<sip:+15550100001@gw>"
        await harness.signaling.incomingCall(harness.stack.makeHandle(), .user("alice"), request)
        await harness.settle()
        #expect(harness.whatsApp.numbersUsed.current == ["connect 222"])
    }
}
