import Foundation
import Media
import NIOPosix
import SDP
import TestSupport
import Testing

/// G.711/G.722 ⇄ Opus through the bridge on 127.0.0.1: a tone from the SIP
/// endpoint reaches the simulated WhatsApp user at the same frequency and level
/// (within 3 dB), and the user's tone reaches the endpoint.
@Suite(.serialized) struct MediaBridgeTranscodingTests {
    func expectTonesBothWays(_ call: BridgedCall, sipFrequency: Double = 1000, sipRate: Int,
                             sourceLocation: SourceLocation = #_sourceLocation) async throws {
        // The first half second of each tone heard, however long the machine took to get there.
        let userWindow = await call.userToneWindow(frequency: sipFrequency)
        let sipWindow = await call.endpointToneWindow(frequency: 600, sampleRate: sipRate)
        let heardByUser = ToneAnalysis.dominantFrequency(userWindow, sampleRate: BridgedCall.userRate)
        let received = await call.endpoint.received()
        let heardBySIP = ToneAnalysis.dominantFrequency(sipWindow, sampleRate: sipRate)
        #expect(abs(heardByUser.frequency - sipFrequency) <= 10, "user heard \(heardByUser)", sourceLocation: sourceLocation)
        #expect(abs(heardBySIP.frequency - 600) <= 10, "SIP heard \(heardBySIP)", sourceLocation: sourceLocation)
        let userLevel = Continuity.levelDifferenceDB(rms: heardByUser.rms, sentAmplitude: 8000)
        let sipLevel = Continuity.levelDifferenceDB(rms: heardBySIP.rms, sentAmplitude: 8000)
        #expect(abs(userLevel) <= 3, "level at the user \(userLevel) dB", sourceLocation: sourceLocation)
        #expect(abs(sipLevel) <= 3, "level at the SIP endpoint \(sipLevel) dB", sourceLocation: sourceLocation)
        #expect(received.ssrcs.count == 1, "one SSRC toward SIP", sourceLocation: sourceLocation)
    }

    @Test(arguments: [SIPMediaCodec.pcmu, .pcma, .g722])
    func toneCrossesBothWays(codec: SIPMediaCodec) async throws {
        let call = try await BridgedCall.open(.init(codec: codec))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1, sipPackets: 50))
        try await expectTonesBothWays(call, sipRate: codec.sampleRate)
        let stats = await call.bridge.statistics()
        #expect(stats.sip.codec == codec.name && stats.whatsapp.codec == "opus" && !stats.passThrough)
        #expect(stats.sip.packetsReceived > 40 && stats.sip.packetsSent > 40 && stats.whatsapp.packetsSent > 40)
        #expect(stats.sip.mos > 4 && stats.latencySamples > 40)
        await call.close()
        #expect(call.ports.allocatedCount == 0)
    }

    @Test func g711LegAgainstA16kHzOpusLegResamples() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: BridgedCall.configuration(rate: 16_000))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1, sipPackets: 50))
        try await expectTonesBothWays(call, sipRate: 8_000)
        await call.close()
    }

    @Test func sdesSRTPOnTheSIPLeg() async throws {
        let keys = SIPSDESKeys(suite: "AES_CM_128_HMAC_SHA1_80", localKeyAndSalt: (0..<30).map { UInt8($0) },
                               remoteKeyAndSalt: (0..<30).map { UInt8(100 + $0) })
        let call = try await BridgedCall.open(.init(codec: .pcma, keys: keys))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1, sipPackets: 50))
        try await expectTonesBothWays(call, sipRate: 8_000)
        await call.close()
    }
}

/// G.711 on the WhatsApp leg (Meta's `additional_codecs`): the gateway offers the
/// SIP leg's law first, the Meta-style answer takes it, and no Opus runs at all.
@Suite(.serialized) struct MediaBridgeG711WhatsAppTests {
    @Test(arguments: [(SIPMediaCodec.pcmu, AudioCodec.pcmu), (.pcma, .pcma), (.pcma, .pcmu)])
    func g711EndToEndWhenTheNumberTakesIt(sip: SIPMediaCodec, whatsapp: AudioCodec) async throws {
        let ports = BridgedCall.allocator()
        var configuration = BridgedCall.configuration(rate: 8_000)
        configuration.webRTC.audioCodecs = [whatsapp, .opus]
        let bridge = try await MediaBridge.open(configuration: configuration, allocator: ports,
                                                group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .iceLite, bindHost: "127.0.0.1",
                                                       candidateAddresses: ["127.0.0.1"], sampleRate: 8_000,
                                                       setupTimeout: .seconds(5))
        userConfiguration.audioCodecs = [.opus, .pcmu, .pcma]
        let userChanges = ChangeSignal()
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: ports,
                                            group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger) {
            ToneRecorderPort(frequency: 600, sampleRate: 8_000, maxSamples: 8_000 * 40, changes: userChanges)
        }
        let call = BridgedCall(bridge: bridge, user: user, endpoint: try await SIPTestEndpoint.open(.init(codec: sip)),
                               bridgeEvents: EventLog(bridge.events), userEvents: EventLog(user.events), ports: ports,
                               userChanges: userChanges)
        let offer = try WebRTCSDP.offer(local: bridge.webrtc.localParameters(setup: .actpass, sessionID: 1))
        let formats = offer.media.first?.formats ?? []
        #expect(formats.first == String(whatsapp.staticPayloadType ?? 255) && formats.contains("111"), "offer lists \(formats)")
        let answer = try WebRTCSDP.metaStyleAnswer(toOffer: offer, local: user.localParameters(setup: .active, sessionID: 2))
        #expect(answer.media.first?.formats.first == String(whatsapp.staticPayloadType ?? 255))
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        user.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        bridge.setSIPLeg(SIPLegParameters(codec: sip, remoteAddress: "127.0.0.1", remotePort: call.endpoint.port))
        call.endpoint.start(to: bridge.sipPort)
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(await call.endpoint.wait(timeout: BridgedCall.mediaDeadline) { $0.packets >= 50 })
        let heardByUser = ToneAnalysis.dominantFrequency(await call.userToneWindow(frequency: 1000, sampleRate: 8_000),
                                                         sampleRate: 8_000)
        let heardBySIP = ToneAnalysis.dominantFrequency(await call.endpointToneWindow(frequency: 600, sampleRate: 8_000),
                                                        sampleRate: 8_000)
        #expect(abs(heardByUser.frequency - 1000) <= 10, "user heard \(heardByUser)")
        #expect(abs(heardBySIP.frequency - 600) <= 10, "SIP heard \(heardBySIP)")
        #expect(abs(Continuity.levelDifferenceDB(rms: heardByUser.rms, sentAmplitude: 8000)) <= 3)
        #expect(abs(Continuity.levelDifferenceDB(rms: heardBySIP.rms, sentAmplitude: 8000)) <= 3)
        let stats = await bridge.statistics()
        #expect(stats.whatsapp.codec == whatsapp.encodingName, "WhatsApp leg codec \(stats.whatsapp.codec)")
        #expect(stats.whatsapp.packetsReceived > 40 && stats.whatsapp.packetsSent > 40)
        await call.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test func anOfferWithoutACommonCodecFailsWithTheReason() async throws {
        let ports = BridgedCall.allocator()
        let bridge = try await MediaBridge.open(configuration: BridgedCall.configuration(rate: 8_000), allocator: ports,
                                                group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
        let events = EventLog(bridge.events)
        var offerer = WebRTCLocalParameters(iceUfrag: "abcd", icePwd: String(repeating: "p", count: 24),
                                            fingerprint: Fingerprint(hashFunction: "sha-256", bytes: [UInt8](repeating: 1, count: 32)),
                                            candidates: [], ssrc: 1, cname: "x", sessionID: 1)
        offerer.audioCodecs = [.pcmu, .opus]
        var offer = try WebRTCSDP.metaStyleOffer(local: offerer)
        // Strip Opus as a peer without it would: only PCMU is left, which this leg does not take.
        offer.media[0].formats = ["0"]
        #expect(throws: SDPError.self) { try WebRTCSDP.answer(toOffer: offer, local: bridge.webrtc.localParameters(setup: .active, sessionID: 2)) }
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        #expect(await events.wait { events in events.contains { if case .webrtcFailed(let reason) = $0 { reason.contains("no audio codec in common") } else { false } } })
        await bridge.close()
        #expect(ports.allocatedCount == 0)
    }
}
