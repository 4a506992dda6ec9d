import Logging
import Media
import NIOCore
import NIOPosix
import SDP
import TestSupport
import Testing

/// The WhatsApp leg keyed by SDES, back to back on 127.0.0.1: wagate's `.sdes`
/// leg answers an SDES offer in Meta's shape against another `.sdes` leg playing
/// Meta, which speaks only once it has heard wagate. Tones cross both ways with
/// and without rtcp-mux, RTCP reports flow, and a stranger's SRTP-looking
/// packets are dropped before libsrtp.
@Suite(.serialized) struct SDESLegTests {
    let harness = WebRTCLegTests()

    /// Meta's leg (16 kHz, 600 Hz) and wagate's (8 kHz, 1000 Hz), keyed from one exchange.
    struct Pair {
        var meta: WebRTCLeg
        var gateway: WebRTCLeg
        var metaHeard: ChangeSignal
        var gatewayHeard: ChangeSignal
        var gatewayMedia: SDESMediaParameters
        var metaMedia: SDESMediaParameters
    }

    func pair(rtcpMux: Bool, ports: RTPPortAllocator, gatewaySetupTimeout: Duration = .seconds(5)) async throws -> Pair {
        let metaHeard = ChangeSignal(), gatewayHeard = ChangeSignal()
        let meta = try await harness.open(.sdes, rate: 16_000, tone: 600, allocator: ports, heard: metaHeard)
        let gateway = try await harness.open(.sdes, rate: 8_000, tone: 1_000, allocator: ports, heard: gatewayHeard,
                                             setupTimeout: gatewaySetupTimeout)
        var metaLocal = meta.sdesLocalParameters(sessionID: 1)
        metaLocal.offeredSuites = [.aesCM128HMACSHA1_80]
        metaLocal.rtcpMux = rtcpMux
        let offer = try SDESSDP.metaStyleOffer(local: metaLocal)
        let answer = try SDESSDP.answer(toOffer: offer, local: gateway.sdesLocalParameters(sessionID: 2))
        let metaMedia = try SDESSDP.complete(offer: offer, answer: answer.sdp, local: metaLocal)
        return Pair(meta: meta, gateway: gateway, metaHeard: metaHeard, gatewayHeard: gatewayHeard,
                    gatewayMedia: answer.media, metaMedia: metaMedia)
    }

    /// A muxed pair, both started (Meta waiting for wagate), once wagate hears Meta.
    func flowingPair() async throws -> Pair {
        let legs = try await pair(rtcpMux: true, ports: WebRTCLegTests.allocator())
        legs.meta.start(sdes: legs.metaMedia, sending: .whenPeerHeard)
        legs.gateway.start(sdes: legs.gatewayMedia)
        #expect(await harness.waitFor(legs.gateway, .mediaFlowing).contains(.mediaFlowing))
        return legs
    }

    func heardTone(_ leg: WebRTCLeg, rate: Int, changes: ChangeSignal) async throws -> (frequency: Double, rms: Double) {
        #expect(await harness.waitUntil(leg, heard: rate * 3 / 4, changes: changes))
        return ToneAnalysis.dominantFrequency(try await harness.recorded(leg), sampleRate: rate)
    }

    @Test(arguments: [true, false])
    func tonesFlowBothWaysAndMetaSpeaksOnlyAfterWagate(rtcpMux: Bool) async throws {
        let ports = WebRTCLegTests.allocator()
        let legs = try await pair(rtcpMux: rtcpMux, ports: ports)
        #expect(legs.gatewayMedia.rtcpMux == rtcpMux && legs.metaMedia.rtcpMux == rtcpMux)
        legs.meta.start(sdes: legs.metaMedia, sending: .whenPeerHeard)
        let metaEvents = await harness.waitFor(legs.meta, .sdesKeyed("AES_CM_128_HMAC_SHA1_80"))
        #expect(metaEvents == [.sdesKeyed("AES_CM_128_HMAC_SHA1_80")], "keyed at once: \(metaEvents)")
        #expect(await legs.meta.statistics().packetsSent == 0, "Meta waits for the business's first packet")

        legs.gateway.start(sdes: legs.gatewayMedia)
        let gatewayEvents = await harness.waitFor(legs.gateway, .mediaFlowing)
        #expect(gatewayEvents == [.sdesKeyed("AES_CM_128_HMAC_SHA1_80"), .mediaFlowing], "\(gatewayEvents)")
        let heardByGateway = try await heardTone(legs.gateway, rate: 8_000, changes: legs.gatewayHeard)
        let heardByMeta = try await heardTone(legs.meta, rate: 16_000, changes: legs.metaHeard)
        #expect(abs(heardByGateway.frequency - 600) <= 10 && heardByGateway.rms > 2000, "wagate heard \(heardByGateway)")
        #expect(abs(heardByMeta.frequency - 1000) <= 10 && heardByMeta.rms > 2000, "Meta heard \(heardByMeta)")

        // RTCP SR/RR both ways (the first report is due 1 s after media starts), on RTP + 1 without mux.
        #expect(await legs.gatewayHeard.wait(timeout: .seconds(10)) {
            let gatewayReports = await legs.gateway.statistics().rtcpReceived
            let metaReports = await legs.meta.statistics().rtcpReceived
            return gatewayReports >= 1 && metaReports >= 1
        })
        let stats = await legs.gateway.statistics()
        #expect(stats.srtpFailures == 0 && stats.foreignDropped == 0 && stats.packetsSent > 20, "\(stats)")
        await legs.gateway.close()
        await legs.meta.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test func digitsCrossAsRFC4733Events() async throws {
        let legs = try await flowingPair()
        legs.gateway.sendDTMF("7", durationMs: 120)
        let heard = await legs.meta.events.first(within: .seconds(10)) { if case .dtmf = $0 { true } else { false } }
        #expect(heard == .dtmf("7", durationMs: 120), "Meta's side heard \(String(describing: heard))")
        await legs.gateway.close()
        await legs.meta.close()
    }

    @Test func packetsFromAnotherAddressAreDroppedAndCounted() async throws {
        let legs = try await flowingPair()
        let stranger = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: legs.gateway.port)
        for sequence in 0..<20 {
            let rtp: [UInt8] = [0x80, 111, 0, UInt8(sequence), 0, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF] + [UInt8](repeating: 7, count: 60)
            let rtcp: [UInt8] = [0x81, 201, 0, 7] + [UInt8](repeating: 9, count: 28)
            for bytes in [rtp, rtcp] {
                stranger.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: stranger.allocator.buffer(bytes: bytes)), promise: nil)
            }
        }
        #expect(await legs.gatewayHeard.wait(timeout: .seconds(10)) { await legs.gateway.statistics().foreignDropped >= 40 })
        let stats = await legs.gateway.statistics()
        #expect(stats.foreignDropped == 40 && stats.srtpFailures == 0, "none reached libsrtp: \(stats)")
        try await stranger.close()
        await legs.gateway.close()
        await legs.meta.close()
    }

    @Test func aDTLSStartOnAnSDESLegFailsClearly() async throws {
        let ports = WebRTCLegTests.allocator()
        let dtls = try await harness.open(.iceLite, rate: 16_000, tone: 600, allocator: ports)
        let sdes = try await harness.open(.sdes, rate: 8_000, tone: 1_000, allocator: ports)
        let offer = try WebRTCSDP.metaStyleOffer(local: dtls.localParameters(setup: .actpass, sessionID: 1))
        sdes.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        let events = await harness.waitFor(sdes, .closed)
        #expect(events.contains { if case .failed(let reason) = $0 { reason.contains("SDES") } else { false } }, "\(events)")
        await sdes.close()
        await dtls.close()
    }
}
