import Foundation
import SDP
import Testing

/// wagate's SDP toward browsers (ICE-lite, DTLS server, 20 ms Opus shaped by the
/// WhatsApp leg) against a Chrome offer, and the offer classification that picks a
/// browser business side.
@Suite("Browser SDP")
struct BrowserSDPTests {
    /// The browser leg's inputs for the goldens: one host candidate, Meta's Opus limits.
    static let browserLocal: WebRTCLocalParameters = {
        var local = WebRTCLocalParameters(
            iceUfrag: "bRwS9kLq2xVt7mNc", icePwd: "Zp4Qw8Er2Ty6Ui0Op3As7Df1",
            fingerprint: Fingerprint(bytes: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 13 + 1) }),
            candidates: WebRTCLocalParameters.gatewayCandidates(hostAddresses: ["198.51.100.20"], port: 31_002),
            ssrc: 1_111_222_333, cname: "wagate-b7", sessionID: 5_150_000_002
        )
        local.opusFormatParameters = WebRTCSDP.browserOpusParameters(
            whatsApp: FormatParameters(format: "111", parameterText: WebRTCSDP.metaOpusParameters)
        )
        return local
    }()

    @Test("our offer to a browser matches its golden")
    func offerGolden() throws {
        let comparison = try Fixtures.golden("browser-offer.sdp", try WebRTCSDP.browserOffer(local: Self.browserLocal))
        #expect(comparison.actual == comparison.expected)
    }

    @Test("our answer to Chrome's offer matches its golden")
    func answerGolden() throws {
        let answer = try WebRTCSDP.browserAnswer(toOffer: try Fixtures.sdp("chrome-offer.sdp"), local: Self.browserLocal)
        let comparison = try Fixtures.golden("chrome-offer-answer.sdp", answer)
        #expect(comparison.actual == comparison.expected)
    }

    @Test("the offer: ice-lite, actpass, BUNDLE, rtcp-mux, 20 ms Opus with Meta's limits, events, msid, one SSRC")
    func offerShape() throws {
        let offer = try WebRTCSDP.browserOffer(local: Self.browserLocal)
        let remote = try WebRTCRemoteParameters(offer)
        #expect(remote.isICELite)
        #expect(remote.setup == .actpass)
        #expect(remote.mid == "audio")
        #expect(offer.bundleGroups == [["audio"]])
        #expect(remote.rtcpMux)
        #expect(remote.audioPayloads == [WebRTCAudioPayload(codec: .opus, payloadType: 111)])
        #expect(remote.opusParameters?.parameterText
            == "maxaveragebitrate=20000;maxplaybackrate=16000;sprop-maxcapturerate=16000;minptime=20;useinbandfec=1")
        #expect(remote.telephoneEventPayloadType == 126 && remote.telephoneEventClockRate == 8000)
        #expect(remote.ptime == 20)
        let audio = offer.media[0]
        #expect(audio.maxptime == 20)
        #expect(audio.attributes.contains(SDPAttribute("msid", WebRTCSDP.browserMSID)))
        #expect(audio.ssrcs == [1_111_222_333])
        #expect(!audio.attributes.contains { $0.name == "extmap" || $0.name == "rtcp-fb" })
    }

    @Test("the answer to Chrome: passive, mid 0 echoed, Opus 111 and events 126 only, data channel at port 0, .local kept")
    func answerToChrome() throws {
        let chrome = try Fixtures.sdp("chrome-offer.sdp")
        let browser = try WebRTCRemoteParameters(chrome)
        #expect(browser.candidates.map(\.address) == ["2f1d4c9a-6b7e-4d3c-9a8b-7c6d5e4f3a2b.local"])
        #expect(browser.opusPayloadType == 111 && browser.telephoneEventPayloadType == 126)
        #expect(browser.telephoneEventClockRate == 8000)
        let answer = try WebRTCSDP.browserAnswer(toOffer: chrome, local: Self.browserLocal)
        let ours = try WebRTCRemoteParameters(answer)
        #expect(ours.setup == .passive)
        #expect(ours.weAreDTLSClient(ourSetup: browser.setup ?? .actpass) == true, "the browser is the DTLS client")
        #expect(ours.mid == "0")
        #expect(answer.bundleGroups == [["0"]])
        #expect(answer.media[0].formats == ["111", "126"])
        #expect(answer.media.count == 2)
        #expect(answer.media[1].port == 0 && answer.media[1].kind == "application" && answer.media[1].mid == "1")
        #expect(ours.isICELite)
    }

    @Test("the answer follows the browser's payload types and refuses an offer without Opus")
    func answerVariants() throws {
        var text = try Fixtures.text("chrome-offer.sdp")
        text = text.replacingOccurrences(of: "111", with: "109")
        let answer = try WebRTCSDP.browserAnswer(toOffer: SessionDescription(parsing: Array(text.utf8)), local: Self.browserLocal)
        #expect(answer.media[0].formats == ["109", "126"])
        let noOpus = try Fixtures.text("chrome-offer.sdp").replacingOccurrences(of: "opus/48000/2", with: "iLBC/8000")
        #expect(throws: SDPError.self) {
            try WebRTCSDP.browserAnswer(toOffer: SessionDescription(parsing: Array(noOpus.utf8)), local: Self.browserLocal)
        }
    }

    @Test("browser Opus fmtp keeps only numeric limits from the WhatsApp leg")
    func opusParameters() {
        #expect(WebRTCSDP.browserOpusParameters(whatsApp: nil) == "minptime=20;useinbandfec=1")
        let hostile = FormatParameters(format: "111", parameterText: "maxplaybackrate=16000;maxaveragebitrate=1;x=2;sprop-maxcapturerate=a\r\nb")
        #expect(WebRTCSDP.browserOpusParameters(whatsApp: hostile) == "maxaveragebitrate=1;maxplaybackrate=16000;minptime=20;useinbandfec=1")
    }

    @Test("offers are classified as plain RTP, SDES or WebRTC", arguments: [
        ("chrome-offer.sdp", SDPMediaProfile.webRTC),
        ("meta-offer.sdp", .webRTC),
        ("sdes-offer.sdp", .sdes),
        ("baresip-offer.sdp", .rtp),
        ("polycom-offer.sdp", .rtp),
    ])
    func profiles(name: String, expected: SDPMediaProfile) throws {
        #expect(SDPMediaProfile.detect(try Fixtures.sdp(name)) == expected)
    }

    @Test("DTLS without a fingerprint or ICE credentials is not WebRTC; no audio is plain RTP")
    func profileCorners() throws {
        let chrome = try Fixtures.text("chrome-offer.sdp")
        let noFingerprint = chrome.split(separator: "\r\n").filter { !$0.hasPrefix("a=fingerprint") }.joined(separator: "\r\n") + "\r\n"
        #expect(SDPMediaProfile.detect(try SessionDescription(parsing: Array(noFingerprint.utf8))) == .rtp)
        let noICE = chrome.split(separator: "\r\n").filter { !$0.hasPrefix("a=ice-") }.joined(separator: "\r\n") + "\r\n"
        #expect(SDPMediaProfile.detect(try SessionDescription(parsing: Array(noICE.utf8))) == .rtp)
        let video = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\n"
        #expect(SDPMediaProfile.detect(try SessionDescription(parsing: Array(video.utf8))) == .rtp)
    }
}
