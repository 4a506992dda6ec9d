import Foundation
import Media
import NIOPosix
import SDP
import Testing

/// `early_media = ringback`: the bridge plays the national ringback tone to the
/// SIP caller, in the call's own codec and stream, with its cadence, until the
/// WhatsApp user's audio arrives.
@Suite(.serialized) struct MediaBridgeRingbackTests {
    @Test(arguments: [SIPMediaCodec.pcmu, .g722])
    func ringbackPlaysWithItsCadenceThenGivesWayToTheUser(codec: SIPMediaCodec) async throws {
        let ports = BridgedCall.allocator()
        let bridge = try await MediaBridge.open(configuration: BridgedCall.configuration(rate: codec.sampleRate), allocator: ports,
                                                group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .simulatedUser, bindHost: "127.0.0.1",
                                                       candidateAddresses: ["127.0.0.1"], sampleRate: 16_000,
                                                       setupTimeout: .seconds(5))
        userConfiguration.consentInterval = .milliseconds(500)
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: ports,
                                            group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger) {
            ToneRecorderPort(frequency: 600, sampleRate: 16_000, maxSamples: 16_000 * 6)
        }
        let call = BridgedCall(bridge: bridge, user: user, endpoint: try await SIPTestEndpoint.open(.init(codec: codec)),
                               bridgeEvents: EventLog(bridge.events), userEvents: EventLog(user.events), ports: ports)
        // Business-initiated, as for a desk phone dialling out: we offer, the user answers but sends nothing yet.
        let offer = try WebRTCSDP.offer(local: bridge.webrtc.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.metaStyleAnswer(toOffer: offer, local: user.localParameters(setup: .active, sessionID: 2))
        user.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active, sending: false)
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        bridge.setSIPLeg(SIPLegParameters(codec: codec, remoteAddress: "127.0.0.1", remotePort: call.endpoint.port))
        call.endpoint.start(to: bridge.sipPort)
        bridge.startRingback(.eu)

        try await Task.sleep(for: .milliseconds(850))
        let ringing = await call.endpoint.received().pcm
        let heard = ToneAnalysis.dominantFrequency(ringing, sampleRate: codec.sampleRate)
        #expect(abs(heard.frequency - 425) <= 10 && heard.rms > 1000, "ringback heard as \(heard)")
        try await Task.sleep(for: .milliseconds(800))  // now in the 4 s pause of the E.180 cadence
        let pause = ToneAnalysis.dominantFrequency(await call.endpoint.received().pcm, sampleRate: codec.sampleRate)
        #expect(pause.rms < 100, "silence between rings, got \(pause)")

        user.startSending()  // the user answers: their audio replaces the ringback at once
        try await Task.sleep(for: .seconds(1.2))
        let talking = ToneAnalysis.dominantFrequency(await call.endpoint.received().pcm, sampleRate: codec.sampleRate)
        #expect(abs(talking.frequency - 600) <= 10 && talking.rms > 2000, "after answer heard \(talking)")
        #expect(await call.endpoint.received().ssrcs.count == 1, "ringback and the call are one stream")
        await call.close()
        #expect(ports.allocatedCount == 0)
    }
}
