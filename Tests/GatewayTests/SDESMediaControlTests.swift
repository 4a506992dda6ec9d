import CallControl
import Config
import Logging
import Media
import NIOPosix
import SDP
import TestSupport
import Testing
@testable import Gateway

/// `BridgeMediaControl` for a SIP-mode number with `srtp = sdes`, with real legs on
/// 127.0.0.1: the outbound WhatsApp offer is `RTP/SAVP` with `a=crypto` and no ICE
/// or fingerprint (a Graph number's stays WebRTC), Meta's SDES answer keys the leg,
/// and an SDES offer from Meta gets an SDES answer with wagate's own key. Either
/// way wagate's packets reach Meta's side as soon as the leg starts.
@Suite(.serialized) struct SDESMediaControlTests {
    static let logger = Logger(label: "sdes-media-test")
    static let sdesNumber = WhatsAppNumberID("770001")
    static let phoneOffer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"

    static func config() -> GatewayConfig {
        var config = GatewayConfig.test()
        var number = NumberConfig(name: "sipmode", phoneNumberID: sdesNumber.rawValue, businessNumber: "+442071234567",
                                  accessToken: Secret("token"))
        number.signaling = .sip
        number.metaSIP = MetaSIPConfig(domain: "sip.example.com", username: "442071234567", srtp: .sdes)
        config.numbers.append(number)
        return config
    }

    static func allocator() -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + 400))
    }

    /// Meta's side of the leg: an `.sdes` leg that records what it hears.
    static func metaLeg(_ ports: RTPPortAllocator, heard: ChangeSignal) async throws -> WebRTCLeg {
        let configuration = WebRTCLegConfiguration(mode: .sdes, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                   sampleRate: 16_000)
        return try await WebRTCLeg.open(configuration: configuration, allocator: ports, group: MultiThreadedEventLoopGroup.singleton,
                                        logger: logger) {
            ToneRecorderPort(frequency: 600, sampleRate: 16_000, maxSamples: 16_000 * 5, changes: heard)
        }
    }

    static func waitForPackets(_ leg: WebRTCLeg, heard: ChangeSignal) async -> Bool {
        await heard.wait(timeout: .seconds(10)) { await leg.statistics().packetsReceived >= 10 }
    }

    @Test func outboundOfferOfAnSDESNumberIsSAVPWithCryptoAndNoICE() async throws {
        let ports = Self.allocator(), heard = ChangeSignal()
        let media = BridgeMediaControl(config: Self.config(), ports: ports, group: MultiThreadedEventLoopGroup.singleton,
                                       logger: Self.logger)
        let call = CallID("wg-sdes-out"), context = CallLogContext(callID: call)
        let session = try await media.openOutbound(call, sipOffer: Self.phoneOffer, number: Self.sdesNumber, context: context)
        let offer = try SessionDescription(parsing: session.whatsAppOffer)
        #expect(offer.media.count == 1 && offer.media[0].proto == "RTP/SAVP")
        #expect(offer.media[0].cryptos.map(\.knownSuite) == [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32])
        for absent in ["a=ice-", "a=candidate", "a=fingerprint", "a=setup"] {
            #expect(!session.whatsAppOffer.contains(absent), "\(absent)")
        }

        let meta = try await Self.metaLeg(ports, heard: heard)
        let answer = try SDESSDP.metaStyleAnswer(toOffer: offer, local: meta.sdesLocalParameters(sessionID: 5))
        meta.start(sdes: answer.media, sending: .whenPeerHeard)
        await media.startWhatsApp(call, remoteAnswer: answer.sdp.serialized(), context: context)
        #expect(await Self.waitForPackets(meta, heard: heard), "wagate sends first, as soon as the leg is keyed")
        let stats = try #require(await media.statistics(of: [call])[call])
        #expect(stats.whatsapp.packetsReceived > 0, "Meta's side answers once it heard wagate: \(stats.whatsapp)")

        let graph = try await media.openOutbound(CallID("wg-graph-out"), sipOffer: Self.phoneOffer, number: WhatsAppNumberID("1"),
                                                 context: CallLogContext(callID: CallID("wg-graph-out")))
        #expect(graph.whatsAppOffer.contains("UDP/TLS/RTP/SAVPF") && !graph.whatsAppOffer.contains("a=crypto"))
        await media.close(CallID("wg-graph-out"), context: context)
        await media.close(call, context: context)
        await meta.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test func inboundSDESOfferGetsAnSDESAnswerWithOurOwnKey() async throws {
        let ports = Self.allocator(), heard = ChangeSignal()
        let media = BridgeMediaControl(config: Self.config(), ports: ports, group: MultiThreadedEventLoopGroup.singleton,
                                       logger: Self.logger)
        let call = CallID("wg-sdes-in"), context = CallLogContext(callID: call)
        let meta = try await Self.metaLeg(ports, heard: heard)
        var metaLocal = meta.sdesLocalParameters(sessionID: 6)
        metaLocal.offeredSuites = [.aesCM128HMACSHA1_80]
        let offer = try SDESSDP.metaStyleOffer(local: metaLocal)
        let session = try await media.openInbound(call, whatsAppOffer: offer.serialized(), number: Self.sdesNumber,
                                                  preferOpus: false, context: context)
        let answer = try SessionDescription(parsing: session.whatsAppAnswer)
        #expect(answer.media[0].proto == "RTP/SAVP" && answer.media[0].cryptos.map(\.tag) == [1])
        #expect(answer.media[0].cryptos[0].keyAndSalt != offer.media[0].cryptos[0].keyAndSalt, "never Meta's key echoed")
        #expect(!session.whatsAppAnswer.contains("a=ice-") && !session.whatsAppAnswer.contains("a=fingerprint"))

        meta.start(sdes: try SDESSDP.complete(offer: offer, answer: answer, local: metaLocal), sending: .whenPeerHeard)
        await media.startWhatsApp(call, remoteAnswer: nil, context: context)
        #expect(await Self.waitForPackets(meta, heard: heard))
        await media.close(call, context: context)
        await meta.close()
        #expect(ports.allocatedCount == 0)
    }
}
