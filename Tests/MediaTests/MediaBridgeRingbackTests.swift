import Foundation
import NIOPosix
import SDP
import TestSupport
import Testing
@testable import Media

/// `early_media = ringback`: the bridge plays the national ringback tone to the
/// SIP caller, in the call's own codec and stream, with its cadence, until the
/// WhatsApp user's audio arrives. The cadence is counted in samples, so it is
/// checked on the generator itself; the bridge test checks the tone on the wire.
@Suite(.serialized) struct MediaBridgeRingbackTests {
    @Test(arguments: RingbackTone.allCases)
    func generatorFollowsTheCadence(tone: RingbackTone) {
        let rate = 8_000
        let generator = RingbackGenerator(tone: tone, sampleRate: rate)
        let cycleMs = tone.cadenceMs.reduce(0, +)
        var pcm: [Int16] = []
        for _ in 0..<(2 * cycleMs / 20) { pcm += generator.next() }
        var start = 0
        for (index, length) in (tone.cadenceMs + tone.cadenceMs).enumerated() {
            // The middle of each segment, clear of its edges.
            let segment = pcm[(start + length / 4) * rate / 1000..<(start + length * 3 / 4) * rate / 1000]
            let heard = ToneDetector.dominantFrequency(segment, sampleRate: rate, from: 300, to: 600)
            if index % 2 == 0 {
                #expect(tone.frequencies.contains { abs($0 - heard.frequency) <= 10 } && heard.rms > 1000,
                        "\(tone) segment \(index) heard as \(heard)")
            } else {
                #expect(heard.rms == 0, "\(tone) pause \(index) heard as \(heard)")
            }
            start += length
        }
    }

    @Test(arguments: [SIPMediaCodec.pcmu, .g722])
    func ringbackPlaysWithItsCadenceThenGivesWayToTheUser(codec: SIPMediaCodec) async throws {
        let call = try await ringingCall(codec: codec, answered: true)
        call.bridge.startRingback(.eu)

        // The ring is on: the first half second of it heard, whenever the machine gets there.
        let ringing = await call.endpointToneWindow(frequency: 425, sampleRate: codec.sampleRate)
        // Searched where every national ringback lies, as the generator test does.
        let heard = ToneAnalysis.dominantFrequency(ringing, sampleRate: codec.sampleRate, from: 300, to: 600)
        #expect(abs(heard.frequency - 425) <= 10 && heard.rms > 1000, "ringback heard as \(heard)")

        call.user.startSending()  // the user answers: their audio replaces the ringback at once
        let talking = ToneAnalysis.dominantFrequency(await call.endpointToneWindow(frequency: 600, sampleRate: codec.sampleRate),
                                                     sampleRate: codec.sampleRate)
        #expect(abs(talking.frequency - 600) <= 10 && talking.rms > 2000, "after answer heard \(talking)")
        #expect(await call.endpoint.received().ssrcs.count == 1, "ringback and the call are one stream")
        await call.close()
        #expect(call.ports.allocatedCount == 0)
    }

    /// An outbound call's SIP leg is set before our 200 (`answered: false`): the
    /// user's audio that comes first is dropped, not queued (the ringback goes
    /// on), and `sipAnswered()` lets the user's live audio through at once.
    @Test func whatsAppAudioWaitsForTheSIPAnswer() async throws {
        let call = try await ringingCall(codec: .pcmu, answered: false)
        call.bridge.startRingback(.eu)
        _ = await call.endpointToneWindow(frequency: 425, sampleRate: 8_000)
        let before = await call.endpoint.received().pcm.count
        call.user.startSending()  // the user answers before our 200 reached the phone
        let heldBack = await call.endpoint.wait { $0.pcm.count >= before + 8_000 }  // one more second at the phone
        let userSent = await call.user.statistics().packetsSent
        #expect(heldBack && userSent > 0, "the user talked meanwhile")
        let window = Array(await call.endpoint.received().pcm[before...])
        #expect(!ToneCheck.isSteadyTone(Array(window.suffix(4_000)), frequency: 600, sampleRate: 8_000),
                "the user's audio reached the phone before its answer")

        call.bridge.sipAnswered()
        let talking = ToneAnalysis.dominantFrequency(await call.endpointToneWindow(frequency: 600, sampleRate: 8_000),
                                                     sampleRate: 8_000)
        #expect(abs(talking.frequency - 600) <= 10 && talking.rms > 2000, "after the answer heard \(talking)")
        await call.close()
    }

    /// Business-initiated, as for a desk phone dialling out: we offer, the user answers but sends nothing yet.
    private func ringingCall(codec: SIPMediaCodec, answered: Bool) async throws -> BridgedCall {
        let ports = BridgedCall.allocator()
        let bridge = try await MediaBridge.open(configuration: BridgedCall.configuration(rate: codec.sampleRate), allocator: ports,
                                                group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .iceLite, bindHost: "127.0.0.1",
                                                       candidateAddresses: ["127.0.0.1"], sampleRate: 16_000,
                                                       setupTimeout: .seconds(5))
        userConfiguration.consentInterval = .milliseconds(500)
        let userChanges = ChangeSignal()
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: ports,
                                            group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger) {
            ToneRecorderPort(frequency: 600, sampleRate: 16_000, maxSamples: BridgedCall.userRecordingLimit, changes: userChanges)
        }
        let call = BridgedCall(bridge: bridge, user: user, endpoint: try await SIPTestEndpoint.open(.init(codec: codec)),
                               bridgeEvents: EventLog(bridge.events), userEvents: EventLog(user.events), ports: ports,
                               userChanges: userChanges)
        let offer = try WebRTCSDP.offer(local: bridge.webrtc.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.metaStyleAnswer(toOffer: offer, local: user.localParameters(setup: .active, sessionID: 2))
        user.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active, sending: false)
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        bridge.setSIPLeg(SIPLegParameters(codec: codec, remoteAddress: "127.0.0.1", remotePort: call.endpoint.port),
                        answered: answered)
        call.endpoint.start(to: bridge.sipPort)
        return call
    }
}
