import SDP
import Testing

/// Golden files: captured and typical offers in, our answers and offers out, and a
/// byte-exact round trip of every file.
@Suite("Golden SDP files")
struct GoldenTests {
    /// Offers from phones and PBXs, each with the golden answer wagate gives.
    static let sipCases: [(offer: String, answer: String)] = [
        ("polycom-offer.sdp", "polycom-answer.sdp"),
        ("yealink-offer.sdp", "yealink-answer.sdp"),
        ("linphone-offer.sdp", "linphone-answer.sdp"),
        ("baresip-offer.sdp", "baresip-answer.sdp"),
        ("asterisk-offer.sdp", "asterisk-answer.sdp"),
        ("sdes-offer.sdp", "sdes-answer.sdp"),
    ]

    /// Every golden file round-trips byte for byte.
    @Test("every golden file round-trips byte for byte")
    func roundTrip() throws {
        let names = try Fixtures.allNames()
        #expect(names.count >= 16)
        for name in names {
            let bytes = try Fixtures.bytes(name)
            let parsed = try SessionDescription(parsing: bytes)
            #expect(parsed.serializedBytes() == bytes, "\(name) did not round-trip")
        }
    }

    /// LF-only input parses to the same description.
    @Test("LF-only input parses to the same description", arguments: ["meta-offer.sdp", "sdes-offer.sdp"])
    func lineFeedsOnly(name: String) throws {
        let bytes = try Fixtures.bytes(name).filter { $0 != UInt8(ascii: "\r") }
        #expect(try SessionDescription(parsing: bytes) == Fixtures.sdp(name))
    }

    /// SIP answers match their goldens.
    @Test("SIP answers match their goldens", arguments: sipCases)
    func sipAnswer(offer: String, answer: String) throws {
        let result = SIPAudioNegotiator().answer(to: try Fixtures.sdp(offer), local: Fixtures.sipLocal)
        let accepted = try result.get()
        let comparison = try Fixtures.golden(answer, accepted.sdp)
        #expect(comparison.actual == comparison.expected)
    }

    /// Our SIP offers match their goldens.
    @Test("our SIP offers match their goldens")
    func sipOffers() throws {
        let plain = try SIPAudioNegotiator().offer(local: Fixtures.sipLocal)
        let plainComparison = try Fixtures.golden("sip-offer.sdp", plain)
        #expect(plainComparison.actual == plainComparison.expected)

        let secure = SIPAudioNegotiator(configuration: SIPAudioConfiguration(codecs: [.pcma, .pcmu], srtp: .required))
        let secureComparison = try Fixtures.golden("sip-offer-srtp.sdp", try secure.offer(local: Fixtures.sipLocal))
        #expect(secureComparison.actual == secureComparison.expected)
    }

    /// Our answer to Meta's captured offer.
    @Test("our answer to Meta's captured offer")
    func answerToMeta() throws {
        let answer = try WebRTCSDP.answer(toOffer: try Fixtures.sdp("meta-offer.sdp"), local: Fixtures.gatewayWebRTC)
        let comparison = try Fixtures.golden("meta-offer-answer.sdp", answer)
        #expect(comparison.actual == comparison.expected)
    }

    /// Our offer to Meta.
    @Test("our offer to Meta")
    func offerToMeta() throws {
        let comparison = try Fixtures.golden("gateway-offer.sdp", try WebRTCSDP.offer(local: Fixtures.gatewayWebRTC))
        #expect(comparison.actual == comparison.expected)
    }

    /// Meta-style offer and answer for the simulator.
    @Test("Meta-style offer and answer for the simulator")
    func metaStyle() throws {
        let offer = try WebRTCSDP.metaStyleOffer(local: Fixtures.metaWebRTC)
        let offerComparison = try Fixtures.golden("meta-style-offer.sdp", offer)
        #expect(offerComparison.actual == offerComparison.expected)

        let ours = try WebRTCSDP.offer(local: Fixtures.gatewayWebRTC)
        let answer = try WebRTCSDP.metaStyleAnswer(toOffer: ours, local: Fixtures.metaWebRTC)
        let answerComparison = try Fixtures.golden("meta-style-answer.sdp", answer)
        #expect(answerComparison.actual == answerComparison.expected)
    }

    /// The Meta-style offer has the captured offer's shape.
    @Test("the Meta-style offer has the captured offer's shape")
    func metaStyleMatchesCapture() throws {
        let captured = try WebRTCRemoteParameters(Fixtures.sdp("meta-offer.sdp"))
        let simulated = try WebRTCRemoteParameters(WebRTCSDP.metaStyleOffer(local: Fixtures.metaWebRTC))
        #expect(simulated.isICELite == captured.isICELite)
        #expect(simulated.setup == captured.setup)
        #expect(simulated.mid == captured.mid)
        #expect(simulated.opusPayloadType == captured.opusPayloadType)
        #expect(simulated.opusParameters == captured.opusParameters)
        #expect(simulated.telephoneEventPayloadType == captured.telephoneEventPayloadType)
        #expect(simulated.cname == captured.cname)
        #expect(simulated.iceUfrag == captured.iceUfrag)
        #expect(simulated.candidates.map(\.address) == captured.candidates.map(\.address))
    }
}
