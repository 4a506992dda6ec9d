import Foundation
import Testing
@testable import WhatsAppCloud

/// Every request the client sends, encoded and compared with the golden JSON.
@Suite struct GraphRequestTests {
    let callID = "wacid.HBgLMTU1NTAwMDExMTEVAgARGBI"

    @Test func connectMatchesGolden() throws {
        let golden = try Fixtures.json("request_connect.json")
        let sdp = try #require(golden["session"]?["sdp"]?.stringValue)
        let request = CallActionRequest.connect(to: "+44 7700 900123", offer: sdp, bizOpaqueCallbackData: "sip-call-42")
        #expect(try Fixtures.encoded(request) == golden)
    }

    @Test func preAcceptAndAcceptSendAnswerType() throws {
        for (name, build) in [("request_pre_accept.json", CallActionRequest.preAccept),
                              ("request_accept.json", CallActionRequest.accept)] {
            let golden = try Fixtures.json(name)
            let sdp = try #require(golden["session"]?["sdp"]?.stringValue)
            let request = build(callID, sdp)
            #expect(request.session?.sdpType == .answer)
            #expect(try Fixtures.encoded(request) == golden, "\(name)")
        }
    }

    @Test func rejectAndTerminateMatchGolden() throws {
        #expect(try Fixtures.encoded(CallActionRequest.reject(callID: callID)) == Fixtures.json("request_reject.json"))
        #expect(try Fixtures.encoded(CallActionRequest.terminate(callID: callID)) == Fixtures.json("request_terminate.json"))
    }

    @Test func settingsPostMatchesGolden() throws {
        let settings = CallingSettings(
            status: "ENABLED", callIconVisibility: "DEFAULT", callbackPermissionStatus: "ENABLED",
            sip: .init(status: "DISABLED"), srtpKeyExchangeProtocol: "DTLS", audio: .init(additionalCodecs: ["PCMA", "PCMU"]))
        #expect(try Fixtures.encoded(PhoneNumberSettings(calling: settings)) == Fixtures.json("request_settings_post.json"))
    }

    @Test func permissionRequestMessageMatchesGolden() throws {
        let message = MessageRequest.callPermissionRequest(to: "+447700900123", bodyText: "May we call you about your order?")
        #expect(try Fixtures.encoded(message) == Fixtures.json("request_permission_message.json"))
    }

    @Test func templateMessageMatchesGolden() throws {
        let template = MessageRequest.Template(
            name: "call_permission_order", languageCode: "en_US",
            components: [.init(type: "body", parameters: [.init(text: "4711")])])
        #expect(try Fixtures.encoded(MessageRequest.template(to: "447700900123", template)) ==
            Fixtures.json("request_template_message.json"))
    }

    @Test func requestsRoundTrip() throws {
        let requests: [CallActionRequest] = [
            .connect(to: "1", offer: "v=0", bizOpaqueCallbackData: nil), .preAccept(callID: "a", answer: "v=0"),
            .accept(callID: "a", answer: "v=0"), .reject(callID: "a"), .terminate(callID: "a"),
        ]
        for request in requests {
            let decoded = try JSONDecoder().decode(CallActionRequest.self, from: GraphJSON.encoder.encode(request))
            #expect(decoded == request)
        }
    }

    @Test func settingsRedactTheToken() {
        let settings = GraphClientSettings(apiVersion: "v24.0", phoneNumberID: "1", accessToken: "EAAG-secret-token")
        #expect(!settings.description.contains("EAAG-secret-token"))
        #expect(settings.url(for: "1/call_permissions", query: [("user_wa_id", "4477")])
            == "https://graph.facebook.com/v24.0/1/call_permissions?user_wa_id=4477")
    }
}
