import SDP
import Testing

/// SDES on the WhatsApp leg (RFC 4568): the crypto grammar's bounds, wagate's
/// offer and answer in Meta's shape, and reading the peer's answer.
@Suite struct SDESTests {
    static let ourMaterial = (0..<46).map { UInt8(truncatingIfNeeded: $0 &* 3 &+ 1) }
    static let theirKey30 = [UInt8](repeating: 0x42, count: 30)
    static let theirKey46 = [UInt8](repeating: 0x24, count: 46)

    static func local(port: Int = 40_000, address: String = "192.0.2.1") -> SDESLocalParameters {
        SDESLocalParameters(address: address, port: port, keyMaterial: ourMaterial, ssrc: 0x1234_5678, cname: "wagate-1", sessionID: 7)
    }

    static func line(_ tag: UInt32, _ suite: String, _ key: [UInt8], _ extra: String = "") -> String {
        "a=crypto:" + CryptoAttribute(tag: tag, suite: suite, keys: [.init(keyAndSalt: key)]).attributeValue + extra
    }

    /// An offer as Meta writes it, with `cryptos` and optional extra lines.
    static func metaOffer(cryptos: [String], address: String = "198.51.100.7", extra: [String] = ["a=rtcp-mux"]) -> String {
        (["v=0", "o=- 1 2 IN IP4 \(address)", "s=-", "t=0 0", "m=audio 3480 RTP/SAVP 111 126", "c=IN IP4 \(address)",
          "a=rtpmap:111 opus/48000/2", "a=rtpmap:126 telephone-event/8000", "a=ptime:20", "a=sendrecv"]
         + extra + cryptos + ["a=ssrc:99 cname:meta"]).joined(separator: "\r\n") + "\r\n"
    }

    @Test func cryptoKeyParametersAreBounded() throws {
        let aes256 = try CryptoAttribute(attributeValue: String(Self.line(1, "AES_256_CM_HMAC_SHA1_80", Self.theirKey46, "|2^31").dropFirst(9)))
        #expect(aes256.knownSuite == .aesCM256HMACSHA1_80 && aes256.keyAndSalt.count == 46 && aes256.keys[0].lifetime == "2^31")
        #expect(CryptoAttribute.Suite.aesCM256HMACSHA1_80.keyAndSaltLength == 46)
        let key = String(Self.line(1, "X", Self.theirKey30).split(separator: ":").last!)
        let tooLong = String(repeating: "QUJD", count: 30)
        let manyKeys = (0..<17).map { _ in "inline:\(key)" }.joined(separator: ";")
        for bad in ["1 AES_CM_128_HMAC_SHA1_80 inline:\(tooLong)", "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^x",
                    "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^31|300:1", "1 AES_CM_128_HMAC_SHA1_80 \(manyKeys)",
                    "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^31|1:4|9", "1 AES_CM_128_HMAC_SHA1_80 inline:QU=JD"] {
            #expect(throws: SDPError.self, "\(bad)") { try CryptoAttribute(attributeValue: bad) }
        }
    }

    @Test func offerIsSAVPWithTwoSuitesAndNoICE() throws {
        let sdp = try SDESSDP.offer(local: Self.local()).serialized()
        let lines = sdp.components(separatedBy: "\r\n")
        #expect(lines.contains("m=audio 40000 RTP/SAVP 111 126"))
        #expect(lines.contains("c=IN IP4 192.0.2.1"))
        for absent in ["a=ice-", "a=candidate", "a=fingerprint", "a=setup", "a=group:BUNDLE"] {
            #expect(!sdp.contains(absent), "\(absent)")
        }
        let cryptos = try SessionDescription(parsing: sdp).media[0].cryptos
        #expect(cryptos.map(\.tag) == [1, 2])
        #expect(cryptos.map(\.knownSuite) == [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
        #expect(cryptos.allSatisfy { $0.keyAndSalt == Array(Self.ourMaterial.prefix(30)) })
        #expect(lines.contains("a=rtcp-mux") && lines.contains("a=rtpmap:111 opus/48000/2"))
    }

    @Test func answerTakesTheFirstUsableOfferedSuiteWithAFreshKey() throws {
        let offer = try SessionDescription(parsing: Self.metaOffer(cryptos: [
            Self.line(1, "F8_128_HMAC_SHA1_80", Self.theirKey30),
            Self.line(2, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30, "|2^31|1:4"),  // MKI: not taken
            Self.line(3, "AES_256_CM_HMAC_SHA1_80", Self.theirKey46, "|2^31"),
            Self.line(4, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30),
        ]))
        let answer = try SDESSDP.answer(toOffer: offer, local: Self.local())
        let media = answer.sdp.media[0]
        #expect(media.proto == "RTP/SAVP" && media.formats == ["111", "126"])
        #expect(media.cryptos.count == 1 && media.cryptos[0].tag == 3 && media.cryptos[0].knownSuite == .aesCM256HMACSHA1_80)
        #expect(media.cryptos[0].keyAndSalt == Self.ourMaterial, "our own 46-byte key, never the offerer's")
        #expect(answer.media.keys.localKeyAndSalt == Self.ourMaterial && answer.media.keys.remoteKeyAndSalt == Self.theirKey46)
        #expect(answer.media.remoteAddress == "198.51.100.7" && answer.media.remotePort == 3480 && answer.media.rtcpMux)
        #expect(answer.media.audio.codec == .opus && answer.media.telephoneEventPayloadType == 126 && answer.media.remoteSSRC == 99)
        #expect(media.attributes.contains("rtcp-mux") && !answer.sdp.serialized().contains("a=ice-"))
    }

    @Test func answerWithoutRTCPMuxKeepsRTCPOnOurPort() throws {
        let offer = try SessionDescription(parsing: Self.metaOffer(
            cryptos: [Self.line(1, "AES_CM_128_HMAC_SHA1_32", Self.theirKey30)], extra: ["a=rtcp:3999"]))
        let answer = try SDESSDP.answer(toOffer: offer, local: Self.local())
        #expect(answer.sdp.media[0].attributes.firstValue("rtcp") == "40000")
        #expect(!answer.sdp.media[0].attributes.contains("rtcp-mux"))
        #expect(!answer.media.rtcpMux && answer.media.remoteRTCPPort == 3999 && answer.media.keys.suite == .aesCM128HMACSHA1_32)
        let plain = try SDESSDP.answer(toOffer: SessionDescription(parsing: Self.metaOffer(
            cryptos: [Self.line(1, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30)], extra: [])), local: Self.local())
        #expect(plain.media.remoteRTCPPort == 3481)
    }

    @Test func answerTakesG711WhenMetaListsItFirstAndTheNumberAllowsIt() throws {
        let offer = try SessionDescription(parsing: Self.metaOffer(cryptos: [Self.line(1, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30)])
            .replacingOccurrences(of: "RTP/SAVP 111 126", with: "RTP/SAVP 0 111 126"))
        var local = Self.local()
        local.audioCodecs = [.opus, .pcmu]
        let answer = try SDESSDP.answer(toOffer: offer, local: local)
        #expect(answer.media.audio == WebRTCAudioPayload(codec: .pcmu, payloadType: 0) && answer.sdp.media[0].formats == ["0", "126"])
        let opusOnly = try SDESSDP.answer(toOffer: offer, local: Self.local())
        #expect(opusOnly.media.audio == WebRTCAudioPayload(codec: .opus, payloadType: 111))
    }

    @Test func unusableOffersAreRefused() throws {
        let good = Self.line(1, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30)
        let offers = [
            Self.metaOffer(cryptos: [Self.line(1, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30, "|1:4")]),
            Self.metaOffer(cryptos: [Self.line(1, "AES_CM_128_HMAC_SHA1_80", Array(Self.theirKey30.prefix(29)))]),
            Self.metaOffer(cryptos: [Self.line(1, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30, " KDR=10")]),
            Self.metaOffer(cryptos: [good], address: "media.example.com"),
            Self.metaOffer(cryptos: [good], address: "0.0.0.0"),
            Self.metaOffer(cryptos: []),
            Self.metaOffer(cryptos: [good]).replacingOccurrences(of: "RTP/SAVP", with: "UDP/TLS/RTP/SAVPF"),
        ]
        for offer in offers {
            #expect(throws: SDPError.self, "\(offer)") { try SDESSDP.answer(toOffer: SessionDescription(parsing: offer), local: Self.local()) }
        }
    }

    @Test func aThousandCryptoLinesAreReadBoundedly() throws {
        let junk = (0..<1_000).map { Self.line(UInt32($0 + 1), "AES_CM_128_HMAC_SHA1_80", Self.theirKey30, "|1:4") }
        let offer = try SessionDescription(parsing: Self.metaOffer(cryptos: junk + [Self.line(5_000, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30)]))
        #expect(offer.media[0].cryptos.count == CryptoAttribute.maximumLines)
        #expect(throws: SDPError.self) { try SDESSDP.answer(toOffer: offer, local: Self.local()) }
    }

    @Test func completeReadsTheAnswerToOurOffer() throws {
        let offer = try SDESSDP.offer(local: Self.local())
        let metaLocal = SDESLocalParameters(address: "198.51.100.7", port: 3480, keyMaterial: Self.theirKey46, ssrc: 5,
                                            cname: "meta", sessionID: 9)
        let answer = try SDESSDP.metaStyleAnswer(toOffer: offer, local: metaLocal)
        #expect(answer.sdp.media[0].cryptos.map(\.tag) == [1])
        let media = try SDESSDP.complete(offer: offer, answer: answer.sdp, local: Self.local())
        #expect(media.keys.suite == .aesCM128HMACSHA1_80 && media.keys.localKeyAndSalt == Array(Self.ourMaterial.prefix(30)))
        #expect(media.keys.remoteKeyAndSalt == Array(Self.theirKey46.prefix(30)))
        #expect(media.remoteAddress == "198.51.100.7" && media.remotePort == 3480 && media.rtcpMux)
        #expect(answer.media.keys.localKeyAndSalt == media.keys.remoteKeyAndSalt, "both sides agree on the keys")

        // An answer naming a tag we never offered, or our tag with another suite, is refused.
        for forged in [Self.line(9, "AES_CM_128_HMAC_SHA1_80", Self.theirKey30), Self.line(1, "AES_CM_128_HMAC_SHA1_32", Self.theirKey30)] {
            var bad = answer.sdp
            bad.media[0].attributes.removeAll { $0.name == "crypto" }
            bad.media[0].attributes.append(try SessionDescription(parsing: Self.metaOffer(cryptos: [forged])).media[0].attributes
                .first { $0.name == "crypto" }!)
            #expect(throws: SDPError.self) { try SDESSDP.complete(offer: offer, answer: bad, local: Self.local()) }
        }
    }
}
