import Codecs
import Logging
import Media
import NIOPosix
import SDP
import Simulator
import TestSupport
import Testing

/// The simulated WhatsApp user of an SDES number against wagate's `.sdes` leg on
/// 127.0.0.1: Meta's offer and answer have Meta's shape (RTP/SAVP, one
/// AES_CM_128_HMAC_SHA1_80 line, no ICE), the user speaks once wagate has, and
/// its tone (or the echo of wagate's) is heard.
@Suite(.serialized) struct SDESSimulatedUserMediaTests {
    static let rate = 8_000

    static func ports() -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + 300))
    }

    /// wagate's leg, playing 1000 Hz and recording what it hears.
    static func gatewayLeg(ports: RTPPortAllocator, heard: ChangeSignal) async throws -> WebRTCLeg {
        let configuration = WebRTCLegConfiguration(mode: .sdes, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                   sampleRate: rate)
        return try await WebRTCLeg.open(configuration: configuration, allocator: ports,
                                        group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger) {
            ToneRecorderPort(frequency: 1000, sampleRate: rate, maxSamples: rate * 5, changes: heard)
        }
    }

    /// The frequency wagate hears once it has a second of the user's audio.
    static func heardFrequency(_ leg: WebRTCLeg, heard: ChangeSignal) async -> Double {
        let recorded = { @Sendable in (try? await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }) ?? [] }
        #expect(await heard.wait(timeout: .seconds(20)) { await recorded().count >= rate })
        return ToneDetector.dominantFrequency(await recorded().suffix(rate / 2), sampleRate: rate).frequency
    }

    @Test func userInitiatedCallCarriesTheUsersTone() async throws {
        let ports = Self.ports(), heard = ChangeSignal()
        let user = SDESSimulatedUserMedia(behaviour: .tone(600), host: "127.0.0.1", ports: ports,
                                          group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger, rtcpMux: false)
        let offer = try await user.makeOffer(callID: "wacid.sdes1")
        let lines = offer.components(separatedBy: "\r\n")
        #expect(lines.contains { $0.hasPrefix("m=audio ") && $0.hasSuffix(" RTP/SAVP 111 126") })
        #expect(lines.filter { $0.hasPrefix("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("a=crypto:") }.count == 1 && lines.contains("a=rtpmap:126 telephone-event/8000"))
        #expect(!offer.contains("a=ice-") && !offer.contains("a=fingerprint") && !offer.contains("a=rtcp-mux"))

        let gateway = try await Self.gatewayLeg(ports: ports, heard: heard)
        let answer = try SDESSDP.answer(toOffer: SessionDescription(parsing: offer), local: gateway.sdesLocalParameters(sessionID: 2))
        await user.start(callID: "wacid.sdes1", remoteSDP: answer.sdp.serialized())
        #expect(await user.statistics(callID: "wacid.sdes1")?.packetsSent == 0, "the user waits for wagate's first packet")
        gateway.start(sdes: answer.media)
        let frequency = await Self.heardFrequency(gateway, heard: heard)
        #expect(abs(frequency - 600) <= 10, "heard \(frequency) Hz")
        #expect((await user.statistics(callID: "wacid.sdes1")?.packetsReceived ?? 0) > 25)
        await user.stop(callID: "wacid.sdes1")
        await gateway.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test func businessInitiatedCallEchoesWagatesTone() async throws {
        let ports = Self.ports(), heard = ChangeSignal()
        let user = SDESSimulatedUserMedia(behaviour: .echo, host: "127.0.0.1", ports: ports,
                                          group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger)
        let gateway = try await Self.gatewayLeg(ports: ports, heard: heard)
        let local = gateway.sdesLocalParameters(sessionID: 3)
        let offer = try SDESSDP.offer(local: local)
        let answer = try await user.answer(callID: "wacid.sdes2", offer: offer.serialized())
        #expect(answer.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 ") && answer.contains("a=maxptime:20"))
        await #expect(throws: (any Error).self) { try await user.answer(callID: "wacid.bad", offer: "v=0\r\n") }
        await user.start(callID: "wacid.sdes2", remoteSDP: offer.serialized())
        gateway.start(sdes: try SDESSDP.complete(offer: offer, answer: SessionDescription(parsing: answer), local: local))
        let frequency = await Self.heardFrequency(gateway, heard: heard)
        #expect(abs(frequency - 1000) <= 10, "heard \(frequency) Hz")
        await user.stop(callID: "wacid.sdes2")
        await gateway.close()
        #expect(ports.allocatedCount == 0)
    }
}
