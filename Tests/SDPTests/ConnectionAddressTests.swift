import Foundation
import SDP
import Testing

/// `c=` must be an IP literal: a host name is refused (488, Warning 301) and never resolved.
@Suite struct ConnectionAddressTests {
    static func offer(_ connection: String) -> String {
        "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=\(connection)\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n"
    }

    @Test(arguments: ["IN IP4 phone.example.com", "IN IP4 localhost", "IN IP4 192.0.2.300", "IN IP4 1.2.3",
                      "IN IP6 phone.example.com", "IN IP4 224.2.1.1/127", "IN IP6 192.0.2.1", "IN IP4 2001:db8::1"])
    func aNameOrAMalformedAddressIsRefused(connection: String) throws {
        let result = SIPAudioNegotiator().answer(toOfferBytes: Array(Self.offer(connection).utf8), local: Fixtures.sipLocal)
        guard case .failure(let rejection) = result else {
            Issue.record("accepted \(connection)")
            return
        }
        #expect(rejection.reason == .hostNameConnection)
        #expect(rejection.sipStatus == 488 && rejection.warningCode == 301)
        #expect(rejection.text.contains("not an IP address"))
    }

    @Test(arguments: ["IN IP4 192.0.2.1", "IN IP4 0.0.0.0", "IN IP6 2001:db8::1", "IN IP6 ::ffff:192.0.2.1", "IN IP6 ::"])
    func ipLiteralsAreTaken(connection: String) throws {
        let result = SIPAudioNegotiator().answer(toOfferBytes: Array(Self.offer(connection).utf8), local: Fixtures.sipLocal)
        #expect((try? result.get()) != nil, "refused \(connection)")
    }

    @Test func anAnswerWithAHostNameIsRefusedToo() throws {
        let negotiator = SIPAudioNegotiator()
        let offer = try negotiator.offer(local: Fixtures.sipLocal)
        let reply = "v=0\r\no=- 9 9 IN IP4 192.0.2.40\r\ns=-\r\nc=IN IP4 pbx.example.net\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        let result = negotiator.complete(offer: offer, answer: try SessionDescription(parsing: reply), local: Fixtures.sipLocal)
        guard case .failure(let rejection) = result else {
            Issue.record("accepted a host name in the answer")
            return
        }
        #expect(rejection.reason == .hostNameConnection)
    }

    @Test func aLongHostileNameIsCappedInTheWarning() {
        let name = String(repeating: "a", count: 300) + "\"\r\nX: y"
        let result = SIPAudioNegotiator().answer(toOfferBytes: Array(Self.offer("IN IP4 \(name)").utf8), local: Fixtures.sipLocal)
        guard case .failure(let rejection) = result else { return }
        #expect(rejection.text.count < 160)
        #expect(!rejection.text.contains("\r") && !rejection.text.contains("\n"))
    }
}
