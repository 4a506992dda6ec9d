import Foundation
import Media
import Testing

/// G.711/G.722 ⇄ Opus through the bridge on 127.0.0.1: a tone from the SIP
/// endpoint reaches the simulated WhatsApp user at the same frequency and level
/// (within 3 dB), and the user's tone reaches the endpoint; any SIP ptime is
/// reframed; 10 % loss on either leg leaves no gap over 40 ms.
@Suite(.serialized) struct MediaBridgeTranscodingTests {
    func expectTonesBothWays(_ call: BridgedCall, sipFrequency: Double = 1000, sipRate: Int,
                             sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let heardByUser = ToneAnalysis.dominantFrequency(try await call.userHeard(), sampleRate: BridgedCall.userRate)
        let received = await call.endpoint.received()
        let heardBySIP = ToneAnalysis.dominantFrequency(received.pcm, sampleRate: sipRate)
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
        try await Task.sleep(for: .seconds(1.5))
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
        try await Task.sleep(for: .seconds(1.5))
        try await expectTonesBothWays(call, sipRate: 8_000)
        await call.close()
    }

    @Test(arguments: [10, 30, 40])
    func anyPtimeIsReframed(ptime: Int) async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu, ptime: ptime))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        try await Task.sleep(for: .seconds(1.5))
        try await expectTonesBothWays(call, sipRate: 8_000)
        let sizes = await call.endpoint.received().payloadSizes
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 == ptime * 8 }, "payload sizes \(Set(sizes))")
        #expect(Continuity.longestGapMs(try await call.userHeard(), sampleRate: BridgedCall.userRate) <= 40)
        await call.close()
    }

    @Test func tenPercentLossFromSIPIsConcealed() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu, lossPercent: 10))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        try await Task.sleep(for: .seconds(2))
        let heard = try await call.userHeard()
        let gap = Continuity.longestGapMs(heard, sampleRate: BridgedCall.userRate)
        #expect(gap <= 40, "longest gap \(gap) ms")
        #expect(abs(ToneAnalysis.dominantFrequency(heard, sampleRate: BridgedCall.userRate).frequency - 1000) <= 10)
        let stats = await call.bridge.statistics()
        #expect(stats.sip.packetsLost > 0 && stats.concealedFrames > 0, "\(stats)")
        await call.close()
    }

    @Test func tenPercentLossFromWhatsAppIsConcealed() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu), userPort: {
            LossyOpusTonePort(frequency: 600, sampleRate: BridgedCall.userRate, lossPercent: 10)
        })
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        try await Task.sleep(for: .seconds(2))
        let received = await call.endpoint.received()
        let gap = Continuity.longestGapMs(received.pcm, sampleRate: 8_000)
        #expect(gap <= 40, "longest gap \(gap) ms")
        #expect(abs(ToneAnalysis.dominantFrequency(received.pcm, sampleRate: 8_000).frequency - 600) <= 10)
        let stats = await call.bridge.statistics()
        #expect(stats.whatsapp.packetsLost > 0, "\(stats.whatsapp)")
        await call.close()
    }

    @Test func sdesSRTPOnTheSIPLeg() async throws {
        let keys = SIPSDESKeys(suite: "AES_CM_128_HMAC_SHA1_80", localKeyAndSalt: (0..<30).map { UInt8($0) },
                               remoteKeyAndSalt: (0..<30).map { UInt8(100 + $0) })
        let call = try await BridgedCall.open(.init(codec: .pcma, keys: keys))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        try await Task.sleep(for: .seconds(1.5))
        try await expectTonesBothWays(call, sipRate: 8_000)
        await call.close()
    }
}
