import Media
import Testing

/// The SIP leg's framing and losses through the bridge: any SIP ptime is
/// reframed, and 10 % loss on either leg leaves no gap over 40 ms. A suite of
/// its own, so it runs beside the transcoding suite.
///
/// Byte-exact reframing is proven on a simulated timeline in
/// `JitterBufferTimelineTests`. Here the endpoint's sender shares two cores with
/// the whole test run, so a silent stretch is a defect only when the bridge had
/// the audio in time: one the bridge counted late or lost packets for is the
/// sender's stall, played out as the jitter buffer should.
@Suite(.serialized) struct MediaBridgeReframingTests {
    @Test(arguments: [10, 30, 40])
    func anyPtimeIsReframed(ptime: Int) async throws {
        var configuration = BridgedCall.configuration()
        configuration.jitterBufferMin = .milliseconds(60)
        let call = try await BridgedCall.open(.init(codec: .pcmu, ptime: ptime), configuration: configuration)
        #expect(await call.bridgeEvents.wait(seconds: 20) { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1, sipPackets: 1000 / ptime, timeout: BridgedCall.mediaDeadline))
        try await MediaBridgeTranscodingTests().expectTonesBothWays(call, sipRate: 8_000)
        let sizes = await call.endpoint.received().payloadSizes
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 == ptime * 8 }, "payload sizes \(Set(sizes))")
        await expectNoGapTheBridgeCaused(call)
        await call.close()
    }

    @Test func tenPercentLossFromSIPIsConcealed() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu, lossPercent: 10))
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(try await call.waitForMoreAudio(seconds: 1.5, timeout: BridgedCall.mediaDeadline))
        let tone = await call.userToneWindow(frequency: 1000)
        #expect(abs(ToneAnalysis.dominantFrequency(tone, sampleRate: BridgedCall.userRate).frequency - 1000) <= 10)
        await expectNoGapTheBridgeCaused(call)
        let stats = await call.bridge.statistics()
        #expect(stats.sip.packetsLost > 0 && stats.concealedFrames > 0, "\(stats)")
        await call.close()
    }

    /// The user heard no silent stretch over 40 ms, unless the bridge counted SIP
    /// packets that came after their playout time (the sender stalled).
    func expectNoGapTheBridgeCaused(_ call: BridgedCall, sourceLocation: SourceLocation = #_sourceLocation) async {
        let gap = Continuity.longestGapMs((try? await call.userHeard()) ?? [], sampleRate: BridgedCall.userRate)
        let late = await call.bridge.statistics().latePackets
        #expect(gap <= 40 || late > 0, "longest gap \(gap) ms with no late packet", sourceLocation: sourceLocation)
    }

    @Test func tenPercentLossFromWhatsAppIsConcealed() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu), userPort: { _ in
            LossyOpusTonePort(frequency: 600, sampleRate: BridgedCall.userRate, lossPercent: 10)
        })
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
        #expect(await call.endpoint.wait(timeout: BridgedCall.mediaDeadline) { $0.pcm.count >= 12_000 },
                "a second and a half of audio at the SIP endpoint")
        let received = await call.endpoint.received()
        let gap = Continuity.longestGapMs(received.pcm, sampleRate: 8_000)
        #expect(gap <= 40, "longest gap \(gap) ms")
        #expect(abs(ToneAnalysis.dominantFrequency(received.pcm, sampleRate: 8_000).frequency - 600) <= 10)
        let stats = await call.bridge.statistics()
        #expect(stats.whatsapp.packetsLost > 0, "\(stats.whatsapp)")
        await call.close()
    }
}
