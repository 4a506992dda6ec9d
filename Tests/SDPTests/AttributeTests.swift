import SDP
import Testing

/// Typed attribute grammars: parse, serialise, reject.
@Suite("Typed attributes")
struct AttributeTests {
    /// Rtpmap and fmtp.
    @Test("rtpmap and fmtp")
    func rtpmapAndFmtp() throws {
        let opus = try RTPMap(attributeValue: "111 opus/48000/2")
        #expect(opus == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48_000, channels: 2))
        #expect(opus.attributeValue == "111 opus/48000/2")
        #expect(AudioCodec(opus) == .opus)
        #expect(AudioCodec(try RTPMap(attributeValue: "9 g722/8000")) == .g722)
        #expect(AudioCodec(try RTPMap(attributeValue: "97 G722/16000")) == nil)
        for bad in ["", "128 PCMU/8000", "x PCMU/8000", "0 PCMU", "0 PCMU/0", "0 /8000", "0 a/8000/0"] {
            #expect(throws: SDPError.self) { try RTPMap(attributeValue: bad) }
        }
        let fmtp = try FormatParameters(attributeValue: "111 minptime=10; useinbandfec=1;stereo")
        #expect(fmtp.payloadType == 111)
        #expect(fmtp["USEINBANDFEC"] == "1" && fmtp["minptime"] == "10" && fmtp["stereo"] == nil)
        #expect(fmtp.parameters.map(\.key) == ["minptime", "useinbandfec", "stereo"])
        #expect(fmtp.attributeValue == "111 minptime=10; useinbandfec=1;stereo")
        #expect(FormatParameters(payloadType: 101, parameters: [("0-15", nil)]).attributeValue == "101 0-15")
    }

    /// Candidate grammar (RFC 8839 §5.1).
    @Test("candidate grammar (RFC 8839 §5.1)")
    func candidate() throws {
        let text = "842163049 1 udp 1677729535 198.51.100.20 54400 typ srflx raddr 10.0.0.5 rport 54400 generation 0 network-cost 999"
        let candidate = try ICECandidate(attributeValue: text)
        #expect(candidate.foundation == "842163049" && candidate.component == 1 && candidate.transport == "udp")
        #expect(candidate.priority == 1_677_729_535 && candidate.port == 54_400)
        #expect(candidate.kind == .serverReflexive)
        #expect(candidate.relatedAddress == "10.0.0.5" && candidate.relatedPort == 54_400)
        #expect(candidate.extensions.map(\.name) == ["generation", "network-cost"])
        #expect(candidate.attributeValue == text)
        let tcp = try ICECandidate(attributeValue: "candidate:1 1 TCP 2105458943 2001:db8::1 9 typ host tcptype active")
        #expect(tcp.transport == "TCP" && tcp.extensions.first?.value == "active")
        #expect(ICECandidate.priority(kind: .host) == 2_130_706_431)
        #expect(ICECandidate.priority(kind: .serverReflexive, localPreference: 65_535) == 1_694_498_815)
        for bad in ["1 1 udp 1 a 1 host x", "1 0 udp 1 a 1 typ host", "1 1 udp -1 a 1 typ host",
                    "1 1 udp 1 a 70000 typ host", "1 1 udp 1 a 1 typ host raddr", "1 1 udp 1 a 1 typ srflx raddr a rport x"] {
            #expect(throws: SDPError.self) { try ICECandidate(attributeValue: bad) }
        }
    }

    /// Fingerprint is written upper-case and read in any case.
    @Test("fingerprint is written upper-case and read in any case")
    func fingerprint() throws {
        let parsed = try Fingerprint(attributeValue: "SHA-256 ab:cd:0e")
        #expect(parsed.hashFunction == "sha-256" && parsed.bytes == [0xAB, 0xCD, 0x0E])
        #expect(parsed.attributeValue == "sha-256 AB:CD:0E")
        for bad in ["sha-256", "sha-256 abc", "sha-256 ab::cd", "sha-256 +f:00", "sha-256 zz"] {
            #expect(throws: SDPError.self) { try Fingerprint(attributeValue: bad) }
        }
    }

    /// Crypto grammar (RFC 4568 §9.1).
    @Test("crypto grammar (RFC 4568 §9.1)")
    func crypto() throws {
        let key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
        let crypto = try CryptoAttribute(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^20|1:32")
        #expect(crypto.tag == 1 && crypto.knownSuite == .aesCM128HMACSHA1_80)
        #expect(crypto.keyAndSalt.count == 30)
        #expect(crypto.keys[0].lifetime == "2^20" && crypto.keys[0].mki == 1 && crypto.keys[0].mkiLength == 32)
        #expect(crypto.attributeValue == "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^20|1:32")
        let mkiOnly = try CryptoAttribute(attributeValue: "7 AES_CM_128_HMAC_SHA1_32 inline:\(key)|5:1 UNENCRYPTED_SRTCP")
        #expect(mkiOnly.keys[0].lifetime == nil && mkiOnly.keys[0].mki == 5)
        #expect(mkiOnly.sessionParameters == ["UNENCRYPTED_SRTCP"])
        for bad in ["1 AES_CM_128_HMAC_SHA1_80", "x AES inline:\(key)", "1 AES key:\(key)", "1 AES inline:!!!!",
                    "1 AES inline:\(key)|1:0", "1 AES inline:\(key)|1:1|2^20"] {
            #expect(throws: SDPError.self) { try CryptoAttribute(attributeValue: bad) }
        }
    }

    /// Ssrc, rtcp-fb, setup and direction.
    @Test("ssrc, rtcp-fb, setup and direction")
    func smallAttributes() throws {
        let ssrc = try SSRCAttribute(attributeValue: "3219523612 cname:WhatsAppAudioStream1")
        #expect(ssrc == SSRCAttribute.cname(3_219_523_612, "WhatsAppAudioStream1"))
        #expect(throws: SDPError.self) { try SSRCAttribute(attributeValue: "4294967296 cname:x") }
        let feedback = try RTCPFeedback(attributeValue: "* nack pli")
        #expect(feedback.payloadType == nil && feedback.type == "nack" && feedback.parameter == "pli")
        #expect(try RTCPFeedback(attributeValue: "111 transport-cc").payloadType == 111)
        #expect(SetupRole.actpass.answerRole(preferring: .active) == .active)
        #expect(SetupRole.actpass.answerRole(preferring: .passive) == .passive)
        #expect(SetupRole.active.answerRole(preferring: .active) == .passive)
        #expect(SetupRole.active.isDTLSClient(peer: .actpass) == true)
        #expect(SetupRole.actpass.isDTLSClient(peer: .passive) == true)
        #expect(SetupRole.actpass.isDTLSClient(peer: .actpass) == nil)
        #expect(MediaDirection.sendonly.reversed == .recvonly)
        #expect(MediaDirection.inactive.reversed == .inactive)
    }

    /// Media accessors over Meta's captured offer.
    @Test("media accessors over Meta's captured offer")
    func mediaAccessors() throws {
        let sdp = try Fixtures.sdp("meta-offer.sdp")
        let audio = try #require(sdp.firstAudio)
        #expect(audio.payloadTypes == [111, 126])
        #expect(audio.rtpMap(for: 126)?.encodingName == "telephone-event")
        #expect(audio.formatParameters(for: 111)?["maxplaybackrate"] == "16000")
        #expect(audio.ptime == 20 && audio.maxptime == 20)
        #expect(audio.mid == "audio" && audio.rtcpMux && audio.setup == .actpass)
        #expect(audio.ssrcs == [3_219_523_612] && audio.cname(of: 3_219_523_612) == "WhatsAppAudioStream1")
        #expect(audio.candidates.count == 2 && audio.candidates[1].address.hasPrefix("2a03:2880:"))
        #expect(sdp.isICELite && sdp.bundleGroups == [["audio"]])
        #expect(sdp.iceCredentials(of: audio)?.ufrag == "Tt8nK2vXq3Lw9sZb")
        #expect(sdp.fingerprints(of: audio).first?.bytes.count == 32)
        #expect(audio.rtpMap(for: 0)?.encodingName == "PCMU")
    }

    /// ICE credentials, fingerprint and setup: media level wins over session level.
    @Test("ICE credentials, fingerprint and setup: media level wins over session level")
    func mediaWins() throws {
        let text = ParserTests.minimal + """
        a=ice-ufrag:sess\r\na=ice-pwd:sessionpasswordsessionpwd\r\na=setup:passive\r\na=fingerprint:sha-1 00:11\r\n\
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:medi\r\na=rtpmap:111 opus/48000/2\r\n\
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:med2\r\na=ice-pwd:mediapasswordmediapasswd\r\na=setup:active\r\n
        """
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.iceCredentials(of: sdp.media[0])! == ("medi", "sessionpasswordsessionpwd"))
        #expect(sdp.iceCredentials(of: sdp.media[1])! == ("med2", "mediapasswordmediapasswd"))
        #expect(sdp.setup(of: sdp.media[0]) == .passive && sdp.setup(of: sdp.media[1]) == .active)
        #expect(sdp.fingerprints(of: sdp.media[0]).first?.hashFunction == "sha-1")
    }
}
