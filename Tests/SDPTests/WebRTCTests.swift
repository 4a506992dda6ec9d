import SDP
import Testing

/// The WhatsApp leg's SDP: answers to Meta, offers to Meta, extraction.
@Suite("WebRTC SDP")
struct WebRTCTests {
    /// What the media leg needs, from Meta's captured offer.
    @Test("what the media leg needs, from Meta's captured offer")
    func extractFromMeta() throws {
        let remote = try WebRTCRemoteParameters(parsing: try Fixtures.bytes("meta-offer.sdp"))
        #expect(remote.iceUfrag == "Tt8nK2vXq3Lw9sZb" && remote.icePwd == "hJ2k9Lm4Np7Qr1St5Uv8Wx3Yz")
        #expect(remote.candidates.count == 2)
        #expect(remote.candidates.map(\.priority) == [2_122_260_223, 2_122_262_783])
        #expect(remote.fingerprint.hashFunction == "sha-256" && remote.fingerprint.bytes.count == 32)
        #expect(remote.fingerprint.bytes.first == 0x3F)
        #expect(remote.setup == .actpass && remote.isICELite && remote.mid == "audio" && remote.rtcpMux)
        #expect(remote.opusPayloadType == 111 && remote.opusParameters?["useinbandfec"] == "1")
        #expect(remote.telephoneEventPayloadType == 126 && remote.telephoneEventClockRate == 8_000)
        #expect(remote.ssrc == 3_219_523_612 && remote.cname == "WhatsAppAudioStream1")
        #expect(remote.defaultAddress == "157.240.229.62" && remote.defaultPort == 3_484)
        #expect(remote.ptime == 20 && remote.direction == .sendrecv)
        #expect(remote.weAreDTLSClient(ourSetup: .active) == true)
    }

    /// Our answer to Meta: full agent, DTLS client, echoed mid and payload types.
    @Test("our answer to Meta: full agent, DTLS client, echoed mid and payload types")
    func answerShape() throws {
        let answer = try WebRTCSDP.answer(toOffer: try Fixtures.sdp("meta-offer.sdp"), local: Fixtures.gatewayWebRTC)
        let parsed = try WebRTCRemoteParameters(SessionDescription(parsing: answer.serializedBytes()))
        #expect(!parsed.isICELite)
        #expect(parsed.setup == .active && parsed.mid == "audio")
        #expect(answer.bundleGroups == [["audio"]])
        #expect(parsed.opusPayloadType == 111 && parsed.telephoneEventPayloadType == 126)
        #expect(parsed.candidates.count == 3 && parsed.ssrc == Fixtures.gatewayWebRTC.ssrc)
        #expect(answer.media[0].formatParameters(for: 126)?.parameterText == "0-15")
        #expect(answer.serialized().contains("a=fingerprint:sha-256 03:0A:11:"))
    }

    /// Passive role when asked; echoes a different mid and payload types.
    @Test("passive role when asked; echoes a different mid and payload types")
    func answerVariants() throws {
        var offer = try Fixtures.sdp("meta-offer.sdp")
        offer.media[0].formats = ["109", "101"]
        offer.media[0].attributes = offer.media[0].attributes.map { attribute in
            switch attribute.name {
            case "mid": return SDPAttribute("mid", "0")
            case "rtpmap" where attribute.value?.hasPrefix("111") == true: return SDPAttribute("rtpmap", "109 opus/48000/2")
            case "rtpmap": return SDPAttribute("rtpmap", "101 telephone-event/8000")
            default: return attribute
            }
        }
        offer.attributes.set("group", "BUNDLE 0")
        var local = Fixtures.gatewayWebRTC
        local.setup = .passive
        let answer = try WebRTCSDP.answer(toOffer: offer, local: local)
        #expect(answer.media[0].setup == .passive && answer.media[0].mid == "0")
        #expect(answer.media[0].payloadTypes == [109, 101])
        #expect(answer.bundleGroups == [["0"]])

        offer.media[0].attributes.set("setup", "active")
        let forced = try WebRTCSDP.answer(toOffer: offer, local: Fixtures.gatewayWebRTC)
        #expect(forced.media[0].setup == .passive)
    }

    /// Offers and answers that cannot be used are refused.
    @Test("offers and answers that cannot be used are refused")
    func refusals() throws {
        let plain = try Fixtures.sdp("asterisk-offer.sdp")
        #expect(throws: SDPError.self) { try WebRTCSDP.answer(toOffer: plain, local: Fixtures.gatewayWebRTC) }
        #expect(throws: SDPError.self) { try WebRTCRemoteParameters(plain) }
        var noOpus = try Fixtures.sdp("meta-offer.sdp")
        noOpus.media[0].attributes.removeAll(named: "rtpmap")
        noOpus.media[0].formats = ["126"]
        #expect(throws: SDPError.self) { try WebRTCSDP.answer(toOffer: noOpus, local: Fixtures.gatewayWebRTC) }
        var noFingerprint = try Fixtures.sdp("meta-offer.sdp")
        noFingerprint.media[0].attributes.removeAll(named: "fingerprint")
        #expect { try WebRTCRemoteParameters(noFingerprint) } throws: { ($0 as? SDPError)?.reason == "no a=fingerprint" }
        var badLocal = Fixtures.gatewayWebRTC
        badLocal.icePwd = "short"
        #expect(throws: SDPError.self) { try WebRTCSDP.offer(local: badLocal) }
        var clash = Fixtures.gatewayWebRTC
        clash.telephoneEventPayloadType = 111
        #expect(throws: SDPError.self) { try WebRTCSDP.offer(local: clash) }
    }

    /// Business offer answered Meta-style; roles and extraction agree.
    @Test("business offer answered Meta-style; roles and extraction agree")
    func businessInitiated() throws {
        let offer = try WebRTCSDP.offer(local: Fixtures.gatewayWebRTC)
        let metaAnswer = try WebRTCSDP.metaStyleAnswer(toOffer: offer, local: Fixtures.metaWebRTC)
        let remote = try WebRTCRemoteParameters(metaAnswer)
        #expect(remote.isICELite && remote.setup == .active)
        #expect(remote.weAreDTLSClient(ourSetup: .actpass) == false)
        var passiveMeta = Fixtures.metaWebRTC
        passiveMeta.setup = .passive
        let other = try WebRTCRemoteParameters(WebRTCSDP.metaStyleAnswer(toOffer: offer, local: passiveMeta))
        #expect(other.weAreDTLSClient(ourSetup: .actpass) == true)
        let simulatorView = try WebRTCRemoteParameters(offer)
        #expect(!simulatorView.isICELite && simulatorView.setup == .actpass && simulatorView.mid == "audio")
    }

    /// Gateway candidates: host, external as host or srflx.
    @Test("gateway candidates: host, external as host or srflx")
    func candidates() {
        let srflx = WebRTCLocalParameters.gatewayCandidates(hostAddresses: ["10.0.0.2"], port: 4_000, externalAddress: "198.51.100.9")
        #expect(srflx.map(\.kind) == [.host, .serverReflexive])
        #expect(srflx[1].relatedAddress == "10.0.0.2" && srflx[1].relatedPort == 4_000)
        #expect(srflx[1].attributeValue == "2 1 udp 1694498815 198.51.100.9 4000 typ srflx raddr 10.0.0.2 rport 4000")
        let hosts = WebRTCLocalParameters.gatewayCandidates(hostAddresses: ["10.0.0.2", "fd00::2"], port: 4_000)
        #expect(hosts.map(\.foundation) == ["1", "2"] && hosts[0].priority > hosts[1].priority)
    }

    /// G.711 beside Opus (Meta's additional_codecs): offer order, answer choice, refusal.
    @Test("G.711 on the WebRTC leg: listed in order, chosen by the offer's order, refused when nothing is common")
    func g711AdditionalCodecs() throws {
        var local = Fixtures.gatewayWebRTC
        local.audioCodecs = [.pcma, .pcmu, .opus]
        let offer = try WebRTCSDP.offer(local: local)
        #expect(offer.media[0].formats == ["8", "0", "111", "126"])
        let text = offer.serialized()
        #expect(text.contains("a=rtpmap:8 PCMA/8000") && text.contains("a=rtpmap:0 PCMU/8000") && text.contains("a=rtpmap:111 opus/48000/2"))
        #expect(!text.contains("a=fmtp:8") && text.contains("a=fmtp:111 minptime=10;useinbandfec=1"))
        let remote = try WebRTCRemoteParameters(offer)
        #expect(remote.audioPayloads.map(\.codec) == [.pcma, .pcmu, .opus])
        #expect(remote.audioPayload(allowed: [.opus, .pcmu])?.codec == .pcmu)
        #expect(remote.audioPayload(allowed: [.opus])?.payloadType == 111)

        var meta = Fixtures.gatewayWebRTC
        meta.audioCodecs = [.opus, .pcmu]
        let answer = try WebRTCSDP.metaStyleAnswer(toOffer: offer, local: meta)
        #expect(answer.media[0].formats == ["0", "126"], "the offer's first common codec, alone, with events")
        #expect(try WebRTCRemoteParameters(answer).audioPayloads.map(\.codec) == [.pcmu])
        meta.audioCodecs = [.opus]
        #expect(try WebRTCSDP.metaStyleAnswer(toOffer: offer, local: meta).media[0].formats == ["111", "126"])

        var pcmuOnly = offer
        pcmuOnly.media[0].formats = ["0"]
        #expect {
            try WebRTCSDP.answer(toOffer: pcmuOnly, local: Fixtures.gatewayWebRTC)
        } throws: { error in
            (error as? SDPError)?.description.contains("no codec in common") == true
        }
        var noOpus = Fixtures.gatewayWebRTC
        noOpus.audioCodecs = [.pcmu]
        #expect(throws: SDPError.self) { try WebRTCSDP.offer(local: noOpus) }
    }
}
