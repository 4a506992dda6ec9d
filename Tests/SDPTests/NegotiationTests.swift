import Foundation
import SDP
import Testing

/// SIP-side offer/answer (RFC 3264): codec choice, telephone-event, ptime,
/// direction, hold and resume, SDES, rejections.
@Suite("SIP offer/answer")
struct NegotiationTests {
    /// A one-stream offer with the given m= tail and extra lines.
    static func offer(_ formats: String, proto: String = "RTP/AVP", address: String = "192.0.2.10", extra: String = "") -> String {
        "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 \(address)\r\nt=0 0\r\nm=audio 5004 \(proto) \(formats)\r\n" + extra
    }

    /// telephone-event/8000 on 101.
    static let te101 = "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
    /// Opus on 96.
    static let opus96 = "a=rtpmap:96 opus/48000/2\r\n"

    /// Offer, our preference, expected codec and PT, expected telephone-event PT.
    static let codecTable: [(offer: String, preference: [AudioCodec], codec: AudioCodec, payloadType: UInt8, event: UInt8?)] = [
        (offer("0 8 9 101", extra: te101), [.pcmu, .pcma], .pcmu, 0, 101),
        (offer("0 8 9 101", extra: te101), [.pcma, .pcmu], .pcma, 8, 101),
        (offer("0 8 9", extra: ""), [.g722, .pcmu], .g722, 9, nil),
        (offer("8 0"), [.opus, .pcmu, .pcma], .pcmu, 0, nil),
        (offer("96 0 101", extra: opus96 + te101), [.opus, .pcmu], .opus, 96, 101),
        (offer("107 0 98", extra: "a=rtpmap:107 OPUS/48000/2\r\na=rtpmap:98 telephone-event/8000\r\n"), [.opus], .opus, 107, 98),
        (offer("18 8 110", extra: "a=rtpmap:110 telephone-event/48000\r\n"), [.pcmu, .pcma], .pcma, 8, nil),
        (offer("0 120", extra: "a=rtpmap:0 pcmu/8000\r\na=rtpmap:120 telephone-event/8000\r\n"), [.pcmu], .pcmu, 0, 120),
    ]

    /// Common codec chosen by our preference, telephone-event echoed.
    @Test("common codec chosen by our preference, telephone-event echoed", arguments: codecTable)
    func codecChoice(offer: String, preference: [AudioCodec], codec: AudioCodec, payloadType: UInt8, event: UInt8?) throws {
        let negotiator = SIPAudioNegotiator(configuration: SIPAudioConfiguration(codecs: preference))
        let answer = try negotiator.answer(toOfferBytes: Array(offer.utf8), local: Fixtures.sipLocal).get()
        #expect(answer.audio.primary == NegotiatedAudio.Codec(codec: codec, payloadType: payloadType))
        #expect(answer.audio.telephoneEventPayloadType == event)
        let media = answer.sdp.media[0]
        #expect(media.payloadTypes == [payloadType] + (event.map { [$0] } ?? []))
        #expect(media.rtpMap(for: payloadType).map(codec.matches) == true)
        if let event {
            #expect(media.formatParameters(for: event)?.parameterText == "0-16")
        }
    }

    /// Several codecs in the answer, in our order, when configured.
    @Test("several codecs in the answer, in our order, when configured")
    func severalCodecs() throws {
        let negotiator = SIPAudioNegotiator(configuration: SIPAudioConfiguration(codecs: [.g722, .pcma, .pcmu], maxCodecsInAnswer: 3))
        let answer = try negotiator.answer(to: try Fixtures.sdp("polycom-offer.sdp"), local: Fixtures.sipLocal).get()
        #expect(answer.sdp.media[0].formats == ["9", "8", "0", "101"])
        #expect(answer.audio.codecs.map(\.codec) == [.g722, .pcma, .pcmu])
        #expect(AudioCodec.g722.rtpClockRate == 8_000 && AudioCodec.g722.sampleRate == 16_000)
    }

    /// Offers we must refuse, with the reason and warning code.
    static let rejectionTable: [(offer: String, reason: SDPRejection.Reason, warning: Int)] = [
        (offer("18 3", extra: "a=rtpmap:18 G729/8000\r\n"), .noCommonCodec, 305),
        (offer("97", extra: "a=rtpmap:97 speex/16000\r\n"), .noCommonCodec, 305),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=video 5006 RTP/AVP 96\r\n", .noAudioStream, 304),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n", .noAudioStream, 304),
        (offer("111", proto: "UDP/TLS/RTP/SAVPF", extra: "a=rtpmap:111 opus/48000/2\r\n"), .unsupportedTransport, 302),
        (offer("0", proto: "RTP/SAVPF"), .srtpNotAcceptable, 302),
        (offer("0", proto: "RTP/SAVP", extra: "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xd\r\n"), .srtpNotAcceptable, 302),
        (offer("0", proto: "TCP/RTP/AVP"), .unsupportedTransport, 302),
        ("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n", .missingConnection, 301),
        ("garbage", .invalidSDP, 399),
    ]

    /// Unacceptable offers give a 488 with a Warning.
    @Test("unacceptable offers give a 488 with a Warning", arguments: rejectionTable)
    func rejection(offer: String, reason: SDPRejection.Reason, warning: Int) {
        let result = SIPAudioNegotiator().answer(toOfferBytes: Array(offer.utf8), local: Fixtures.sipLocal)
        guard case .failure(let rejection) = result else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.reason == reason)
        #expect(rejection.warningCode == warning && rejection.sipStatus == 488)
        #expect(rejection.warningHeaderValue(agent: "gw.example.com").hasPrefix("\(warning) gw.example.com \""))
    }

    /// The no-common-codec text names both sides' codecs.
    @Test("the no-common-codec text names both sides' codecs")
    func rejectionText() {
        let result = SIPAudioNegotiator().answer(toOfferBytes: Array(Self.offer("18", extra: "").utf8), local: Fixtures.sipLocal)
        guard case .failure(let rejection) = result else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.text == "no common codec: offered G729; supported PCMU, PCMA, G722, opus")
    }

    /// SRTP required refuses plain RTP; SRTP disabled refuses RTP/SAVP.
    @Test("SRTP required refuses plain RTP; SRTP disabled refuses RTP/SAVP")
    func srtpPolicies() throws {
        let required = SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtp: .required))
        #expect(throws: SDPRejection.self) { try required.answer(to: try Fixtures.sdp("asterisk-offer.sdp"), local: Fixtures.sipLocal).get() }
        let disabled = SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtp: .disabled))
        #expect(throws: SDPRejection.self) { try disabled.answer(to: try Fixtures.sdp("sdes-offer.sdp"), local: Fixtures.sipLocal).get() }
        var noKey = Fixtures.sipLocal
        noKey.sdesKeyAndSalt = nil
        let result = SIPAudioNegotiator().answer(to: try Fixtures.sdp("sdes-offer.sdp"), local: noKey)
        #expect(throws: SDPRejection(.localConfiguration, "no local SRTP key of 30 bytes was supplied")) { try result.get() }
    }

    /// SDES answer echoes the chosen tag and carries both keys.
    @Test("SDES answer echoes the chosen tag and carries both keys")
    func sdes() throws {
        let answer = try SIPAudioNegotiator().answer(to: try Fixtures.sdp("sdes-offer.sdp"), local: Fixtures.sipLocal).get()
        let sdes = try #require(answer.audio.sdes)
        #expect(sdes.suite == .aesCM128HMACSHA1_80 && sdes.tag == 3)
        #expect(sdes.remoteKeyAndSalt == Array(0x40..<0x5E) && sdes.localKeyAndSalt == Array(0x10..<0x2E))
        #expect(answer.sdp.media[0].cryptos.map(\.tag) == [3])
        #expect(answer.audio.ptime == 30)
        let prefer32 = SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtpSuites: [.aesCM128HMACSHA1_32]))
        let short = try prefer32.answer(to: try Fixtures.sdp("sdes-offer.sdp"), local: Fixtures.sipLocal).get()
        #expect(short.audio.sdes?.tag == 2 && short.audio.sdes?.remoteKeyAndSalt == Array(0x60..<0x7E))
    }

    /// Offered direction (or legacy hold), our wish, the answer's direction, the hold state seen.
    static let directionTable: [(extra: String, address: String, wish: MediaDirection, answer: MediaDirection, hold: HoldState)] = [
        ("a=sendrecv\r\n", "192.0.2.10", .sendrecv, .sendrecv, .active),
        ("", "192.0.2.10", .sendrecv, .sendrecv, .active),
        ("a=sendonly\r\n", "192.0.2.10", .sendrecv, .recvonly, .sendonly),
        ("a=recvonly\r\n", "192.0.2.10", .sendrecv, .sendonly, .active),
        ("a=inactive\r\n", "192.0.2.10", .sendrecv, .inactive, .inactive),
        ("a=sendrecv\r\n", "0.0.0.0", .sendrecv, .recvonly, .legacyZeroAddress),
        ("a=sendonly\r\n", "0.0.0.0", .sendrecv, .recvonly, .legacyZeroAddress),
        ("a=sendrecv\r\n", "192.0.2.10", .sendonly, .sendonly, .active),
        ("a=sendrecv\r\n", "192.0.2.10", .inactive, .inactive, .active),
        ("a=sendonly\r\n", "192.0.2.10", .sendonly, .inactive, .sendonly),
        ("a=recvonly\r\n", "192.0.2.10", .recvonly, .inactive, .active),
    ]

    /// Direction mirrored per RFC 3264 §6.1; hold detected.
    @Test("direction mirrored per RFC 3264 §6.1; hold detected", arguments: directionTable)
    func direction(extra: String, address: String, wish: MediaDirection, answer expected: MediaDirection, hold: HoldState) throws {
        var local = Fixtures.sipLocal
        local.direction = wish
        let offer = Self.offer("0", address: address, extra: extra)
        let answer = try SIPAudioNegotiator().answer(toOfferBytes: Array(offer.utf8), local: local).get()
        #expect(answer.sdp.media[0].direction == expected)
        #expect(answer.audio.localDirection == expected)
        #expect(answer.audio.remoteHold == hold)
    }

    /// Hold then resume re-offers from a phone.
    @Test("hold then resume re-offers from a phone")
    func holdAndResume() throws {
        var offer = try Fixtures.sdp("yealink-offer.sdp")
        let negotiator = SIPAudioNegotiator()
        let first = try negotiator.answer(to: offer, local: Fixtures.sipLocal).get()
        #expect(!first.audio.remoteHold.isHold && first.audio.sends)

        offer.origin = offer.origin.nextVersion()
        offer.media[0].setDirection(.sendonly)
        let held = try negotiator.answer(to: offer, local: Fixtures.sipLocal).get()
        #expect(held.audio.remoteHold == .sendonly && !held.audio.sends && held.audio.receives)
        #expect(held.sdp.media[0].direction == .recvonly)

        offer.origin = offer.origin.nextVersion()
        offer.media[0].setDirection(.sendrecv)
        let resumed = try negotiator.answer(to: offer, local: Fixtures.sipLocal).get()
        #expect(resumed.audio.remoteHold == .active && resumed.audio.localDirection == .sendrecv)
        #expect(resumed.audio.primary == first.audio.primary)
    }

    /// Ptime honoured within 10-60 ms and maxptime.
    @Test("ptime honoured within 10-60 ms and maxptime")
    func ptime() throws {
        for (extra, expected) in [("a=ptime:30\r\n", 30), ("a=ptime:25\r\n", 20), ("a=ptime:200\r\n", 20), ("a=maxptime:10\r\n", 10), ("", 20)] {
            let answer = try SIPAudioNegotiator().answer(toOfferBytes: Array(Self.offer("0", extra: extra).utf8), local: Fixtures.sipLocal).get()
            #expect(answer.audio.ptime == expected)
            #expect(answer.sdp.media[0].ptime == expected)
        }
    }

    /// Extra streams are answered with port 0; rtcp-mux, a=rtcp and mid handled.
    @Test("extra streams are answered with port 0; rtcp-mux, a=rtcp and mid handled")
    func streams() throws {
        let offer = "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
            + "m=video 5006 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            + "m=audio 5004 RTP/AVP 0\r\na=mid:a1\r\na=rtcp:5010 IN IP4 192.0.2.10\r\n"
            + "m=audio 5008 RTP/AVP 8\r\na=rtcp-mux\r\n"
        let answer = try SIPAudioNegotiator().answer(toOfferBytes: Array(offer.utf8), local: Fixtures.sipLocal).get()
        #expect(answer.sdp.media.map(\.port) == [0, 40_000, 0])
        #expect(answer.sdp.media[0].formats == ["96"] && answer.sdp.media[0].attributes.isEmpty)
        #expect(answer.audio.mediaIndex == 1 && answer.audio.remoteRTCPPort == 5_010 && !answer.audio.rtcpMux)
        #expect(answer.sdp.media[1].mid == "a1")
        let muxed = try SIPAudioNegotiator().answer(toOfferBytes: Array(Fixtures.bytes("baresip-offer.sdp")), local: Fixtures.sipLocal).get()
        #expect(muxed.audio.rtcpMux && muxed.audio.remoteRTCPPort == 10_740)
        #expect(muxed.audio.remoteAddress == "192.168.1.20" && muxed.audio.remotePort == 10_740)
    }

    /// Our offer, then the phone's answer.
    @Test("our offer, then the phone's answer")
    func offerThenAnswer() throws {
        let negotiator = SIPAudioNegotiator(configuration: SIPAudioConfiguration(codecs: [.pcmu, .pcma, .opus]))
        let offer = try negotiator.offer(local: Fixtures.sipLocal)
        #expect(offer.media[0].formats == ["0", "8", "96", "101"])
        let reply = "v=0\r\no=- 9 9 IN IP4 192.0.2.40\r\ns=-\r\nc=IN IP4 192.0.2.40\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n"
        let audio = try negotiator.complete(offer: offer, answer: try SessionDescription(parsing: reply), local: Fixtures.sipLocal).get()
        #expect(audio.primary == NegotiatedAudio.Codec(codec: .pcma, payloadType: 8))
        #expect(audio.telephoneEventPayloadType == 101 && audio.remotePort == 6_000 && audio.remoteRTCPPort == 6_001)
        #expect(audio.localDirection == .recvonly)

        let refused = reply.replacingOccurrences(of: "m=audio 6000", with: "m=audio 0")
        #expect(throws: SDPRejection.self) {
            try negotiator.complete(offer: offer, answer: try SessionDescription(parsing: refused), local: Fixtures.sipLocal).get()
        }
        #expect(throws: SDPError.self) {
            try SIPAudioNegotiator(configuration: SIPAudioConfiguration(opusPayloadType: 101)).offer(local: Fixtures.sipLocal)
        }
        #expect(throws: SDPError.self) {
            try SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtp: .required)).offer(local: SIPLocalMedia(address: "a", port: 1, sessionID: 1, sessionVersion: 1))
        }
    }

    /// An SDES offer of ours completed by an SDES answer.
    @Test("an SDES offer of ours completed by an SDES answer")
    func sdesOfferAnswer() throws {
        let negotiator = SIPAudioNegotiator(configuration: SIPAudioConfiguration(srtp: .required))
        let offer = try negotiator.offer(local: Fixtures.sipLocal)
        var phoneLocal = Fixtures.sipLocal
        phoneLocal.sdesKeyAndSalt = Array(repeating: 0x77, count: 30)
        phoneLocal.port = 7_000
        let phoneAnswer = try SIPAudioNegotiator().answer(to: offer, local: phoneLocal).get()
        let audio = try negotiator.complete(offer: offer, answer: phoneAnswer.sdp, local: Fixtures.sipLocal).get()
        #expect(audio.sdes?.remoteKeyAndSalt == Array(repeating: 0x77, count: 30))
        #expect(audio.sdes?.localKeyAndSalt == Fixtures.sipLocal.sdesKeyAndSalt)
        #expect(audio.sdes?.suite == .aesCM128HMACSHA1_80 && audio.remotePort == 7_000)
    }
}

@Suite("SDP version across a session (RFC 3264 §8)")
struct SessionVersionTests {
    static let negotiator = SIPAudioNegotiator()
    static func local(port: Int = 4000) -> SIPLocalMedia {
        SIPLocalMedia(address: "192.0.2.1", port: port, sessionID: 77, sessionVersion: 1)
    }
    static func offer(_ codecs: String) throws -> SessionDescription {
        try SessionDescription(parsing: Array(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 5000 RTP/AVP \(codecs)\r\n".utf8))
    }

    @Test("an unchanged re-offer (session refresh) gets the same SDP and the same o= version")
    func refreshKeepsTheVersion() throws {
        let first = try #require(try? Self.negotiator.answer(to: Self.offer("0"), local: Self.local()).get()).sdp
        let again = try #require(try? Self.negotiator.answer(to: Self.offer("0"), local: Self.local()).get()).sdp
        let sent = again.versioned(after: first)
        #expect(sent.serialized() == first.serialized())
    }

    @Test("a changed answer (codec change) gets the next o= version and keeps the session id")
    func changeBumpsTheVersion() throws {
        let first = try #require(try? Self.negotiator.answer(to: Self.offer("0"), local: Self.local()).get()).sdp
        let changed = try #require(try? Self.negotiator.answer(to: Self.offer("8"), local: Self.local()).get()).sdp
        let sent = changed.versioned(after: first)
        #expect(sent.origin.sessionVersion == "2")
        #expect(sent.origin.sessionID == first.origin.sessionID)
        #expect(sent.serialized().contains("RTP/AVP 8"))
    }
}

@Suite("SIP renegotiation inside a session")
struct RenegotiationTests {
    @Test("a request without SDP gets our offer, versioned after what we sent; an offer gets the answer")
    func offerOrAnswer() throws {
        let negotiator = SIPAudioNegotiator()
        let local = SessionVersionTests.local()
        let first = try negotiator.offer(local: local)
        guard case .success(.offer(let again)) = negotiator.renegotiate(offer: nil, local: local, lastSent: first) else {
            Issue.record("no offer")
            return
        }
        #expect(again.serialized() == first.serialized())
        let pcma = "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\nm=audio 5000 RTP/AVP 8\r\n"
        guard case .success(.answer(let answer, let audio)) = negotiator.renegotiate(offer: pcma, local: local,
                                                                                       lastSent: first) else {
            Issue.record("no answer")
            return
        }
        #expect(audio.primary.codec == .pcma)
        #expect(answer.origin.sessionVersion == "2")
        guard case .failure = negotiator.renegotiate(offer: "garbage", local: local, lastSent: first) else {
            Issue.record("garbage accepted")
            return
        }
    }
}
