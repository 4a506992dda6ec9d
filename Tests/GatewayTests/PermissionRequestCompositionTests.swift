// Permission requests through the composition layer: a `messages` webhook body,
// decoded and mapped as the webhook service does, opens the user's window with
// that business number only; a call refused through that number asks with the
// interactive message, one through the other number with its own template,
// filled in from the real INVITE.

import CallControl
import Config
import Foundation
import TestSupport
import Testing
import WhatsAppCloud
@testable import Gateway
@testable import SIP

@Suite("Permission requests per business number")
struct PermissionRequestCompositionTests {
    static let config: GatewayConfig = {
        var config = GatewayConfig.twoNumbers
        config.whatsapp.sendPermissionRequest = true
        config.numbers[1].permissionTemplate = PermissionTemplateConfig(name: "support_call", language: "en_GB", components: [
            .init(type: "body", parameters: [.init(value: .substitution(.caller)),
                                             .init(value: .substitution(.businessNumber))]),
        ])
        return config
    }()

    /// A text from +14085551234 to `phoneNumberID`, as Meta sends it, written at `at`.
    private func messageBody(phoneNumberID: String, at: Date) -> String {
        """
        {"object":"whatsapp_business_account","entry":[{"id":"900","changes":[{"field":"messages","value":{
        "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100000","phone_number_id":"\(phoneNumberID)"},
        "contacts":[{"profile":{"name":"Zoe"},"wa_id":"14085551234"}],
        "messages":[{"from":"14085551234","id":"wamid.T1","timestamp":"\(Int(at.timeIntervalSince1970))",
        "type":"text","text":{"body":"hello"}}]}}]}]}
        """
    }

    @Test("the window is per number: interactive through the number written to, the template through the other")
    func windowPerNumber() async throws {
        let harness = await GatewayHarness(config: Self.config)
        harness.whatsApp.permission.withValue { $0 = .success(CallPermission(status: .noPermission)) }
        for event in try WebhookDecoder.decode(Data(messageBody(phoneNumberID: "111", at: harness.clock.now).utf8)) {
            guard let mapped = WebhookMapping.event(event) else { continue }
            await harness.control.handleWebhook(mapped, number: WebhookMapping.number(event))
        }
        await harness.clock.advance(by: .seconds(60))
        let first = await harness.invite("+14085551234")
        #expect(harness.stack.responses(on: first).last?.status == 403)
        let second = await harness.invite("*2+14085551234")
        #expect(harness.stack.responses(on: second).last?.status == 403)
        await harness.settle()
        #expect(harness.whatsApp.permissionRequests.current == [
            .interactive(text: Self.config.whatsapp.permissionRequestText),
            .template(name: "support_call", language: "en_GB", components: [
                PermissionTemplateComponent(type: "body", parameters: [(nil, "caller"), (nil, "+15550100001")]),
            ]),
        ])
        #expect(harness.whatsApp.numbersUsed.current.filter { $0.hasPrefix("messages") } == ["messages 111", "messages 222"])
    }
}
