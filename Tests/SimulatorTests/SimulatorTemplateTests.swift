// The simulated Messages API for permission requests: approved templates per
// number, the 24-hour customer service window, and the request limits on both kinds.

import Foundation
import Simulator
import Testing
import WhatsAppCloud

extension SimulatorGraphTests {
    @Test func theInteractiveRequestNeedsTheWindowWhichAUserMessageOpens() async throws {
        try await Harness.run { harness in
            let closed = await graphError { _ = try await harness.client.sendCallPermissionRequest(to: user, bodyText: "x") }
            #expect(closed?.code == 131047 && closed?.httpStatus == 400)
            let answer = try await harness.control.userMessages(user, text: "hi")
            #expect(answer["from"]?.stringValue == "447700900123")
            guard case .userMessage(let message)? = try await harness.next(1).first else {
                Issue.record("expected the messages webhook")
                return
            }
            #expect(message.user.phone == "447700900123" && message.metadata.phoneNumberID == "100000000000001")
            _ = try await harness.client.sendCallPermissionRequest(to: user, bodyText: "May we call?")
            let sent = try await harness.control.request(.GET, "/control/messages")["messages"]?.elements ?? []
            #expect(sent.count == 1 && sent[0]["kind"]?.stringValue == "interactive")
            #expect(sent[0]["text"]?.stringValue == "May we call?")
        }
    }

    @Test func onlyAnApprovedTemplateOfTheNumberInItsLanguageIsSent() async throws {
        try await Harness.run(configure: {
            $0.templates = [SimulatedTemplate(name: "call_me", language: "en_US"),
                            SimulatedTemplate(name: "in_review", status: .pending),
                            SimulatedTemplate(name: "paused_one", status: .paused),
                            SimulatedTemplate(name: "other_number", phoneNumberID: "999")]
        }) { harness in
            for (name, language, code) in [("nope", "en_US", 132001), ("call_me", "de", 132001),
                                           ("in_review", "en_US", 132001), ("paused_one", "en_US", 132015),
                                           ("other_number", "en_US", 132001)] {
                let error = await graphError {
                    _ = try await harness.client.sendTemplate(to: user, template: .init(name: name, languageCode: language))
                }
                #expect(error?.code == code, "\(name) \(language)")
            }
            let template = MessageRequest.Template(name: "call_me", languageCode: "en_US", components: [
                .init(type: "body", parameters: [.init(text: "Front Desk", name: "caller")]),
            ])
            _ = try await harness.client.sendTemplate(to: user, template: template)
            let sent = try await harness.control.request(.GET, "/control/messages")["messages"]?.elements ?? []
            #expect(sent.count == 1 && sent[0]["kind"]?.stringValue == "template")
            #expect(sent[0]["template"]?.stringValue == "call_me" && sent[0]["language"]?.stringValue == "en_US")
            let parameter = sent[0]["components"]?.elements.first?["parameters"]?.elements.first
            #expect(parameter?["parameter_name"]?.stringValue == "caller" && parameter?["text"]?.stringValue == "Front Desk")
            let limit = await graphError { _ = try await harness.client.sendTemplate(to: user, template: template) }
            #expect(limit?.code == 138009)
        }
    }

    @Test func templateOption() {
        #expect(SimulatedTemplate(option: "call_me") == SimulatedTemplate(name: "call_me"))
        #expect(SimulatedTemplate(option: "call_me:de:paused:111")
            == SimulatedTemplate(name: "call_me", language: "de", status: .paused, phoneNumberID: "111"))
        #expect(SimulatedTemplate(option: "") == nil && SimulatedTemplate(option: "a:b:maybe") == nil)
    }
}
