import Media
import Testing

/// The SIP leg's framing and losses through the bridge: any SIP ptime is
/// reframed, and 10 % loss on either leg leaves no gap over 40 ms. A suite of
/// its own, so it runs beside the transcoding suite.
@Suite(.serialized) struct MediaBridgeReframingTests {
    @Test(arguments: [10, 30, 40])
    func anyPtimeIsReframed(ptime: Int) async throws {
        // A deeper jitter buffer than the 20 ms default: the endpoint's sender shares
        // two cores with the whole test run, and a stall of its timer is not a
        // reframing gap.
        var configuration = BridgedCall.configuration()
        configuration.jitterBufferMin = .milliseconds(60)
        let call = try await BridgedCall.open(.init(codec: .pcmu, ptime: ptime), configuration: configuration)
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1, sipPackets: 1000 / ptime))
        try await MediaBridgeTranscodingTests().expectTonesBothWays(call, sipRate: 8_000)
        let sizes = await call.endpoint.received().payloadSizes
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 == ptime * 8 }, "payload sizes \(Set(sizes))")
        #expect(Continuity.longestGapMs(try await call.userHeard(), sampleRate: BridgedCall.userRate) <= 40)
        await call.close()
    }

    @Test func tenPercentLossFromSIPIsConcealed() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu, lossPercent: 10))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1.5))
        let heard = try await call.userHeard()
        let gap = Continuity.longestGapMs(heard, sampleRate: BridgedCall.userRate)
        #expect(gap <= 40, "longest gap \(gap) ms")
        #expect(abs(ToneAnalysis.dominantFrequency(heard, sampleRate: BridgedCall.userRate).frequency - 1000) <= 10)
        let stats = await call.bridge.statistics()
        #expect(stats.sip.packetsLost > 0 && stats.concealedFrames > 0, "\(stats)")
        await call.close()
    }

    @Test func tenPercentLossFromWhatsAppIsConcealed() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu), userPort: { _ in
            LossyOpusTonePort(frequency: 600, sampleRate: BridgedCall.userRate, lossPercent: 10)
        })
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(await call.endpoint.wait { $0.pcm.count >= 12_000 }, "a second and a half of audio at the SIP endpoint")
        let received = await call.endpoint.received()
        let gap = Continuity.longestGapMs(received.pcm, sampleRate: 8_000)
        #expect(gap <= 40, "longest gap \(gap) ms")
        #expect(abs(ToneAnalysis.dominantFrequency(received.pcm, sampleRate: 8_000).frequency - 600) <= 10)
        let stats = await call.bridge.statistics()
        #expect(stats.whatsapp.packetsLost > 0, "\(stats.whatsapp)")
        await call.close()
    }
}
