import Codecs
import Foundation
import Logging
import Media
import NIOPosix
import SDP
import Simulator
import TestSupport
import Testing
import WhatsAppCloud

/// The simulated WhatsApp user carries real media: a business-initiated call
/// placed through the simulator's Graph API with a gateway `WebRTCLeg`'s offer
/// is answered in Meta's shape, ICE/DTLS complete, and after the user answers
/// the gateway hears the user's tone (or, with echo, its own tone back), and
/// the control API's media counters show the business's packets while the call lasts.
/// The cheap media mode (a pre-encoded tone, nothing decoded) is heard and counts alike.
@Suite(.serialized) struct SimulatorMediaTests {
    let user = "447700900123"

    static func ports() -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + 300))
    }

    func heard(behaviour: WebRTCSimulatedUserMedia.Behaviour) async throws -> Double {
        let ports = Self.ports()
        let media = WebRTCSimulatedUserMedia(behaviour: behaviour, host: "127.0.0.1", ports: ports,
                                             group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger)
        var frequency = 0.0
        try await Harness.run(media: media) { harness in
            await harness.simulator.grantPermission(to: user, permanent: true)
            _ = try await harness.next(1)
            let configuration = WebRTCLegConfiguration(bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                       sampleRate: 8000, setupTimeout: .seconds(5))
            let heard = ChangeSignal()
            let leg = try await WebRTCLeg.open(configuration: configuration, allocator: ports,
                                               group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger) {
                ToneRecorderPort(frequency: 1000, sampleRate: 8000, maxSamples: 8000 * 5, changes: heard)
            }
            let recorded = { @Sendable in (try? await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }) ?? [] }
            let offer = try WebRTCSDP.offer(local: leg.localParameters(setup: .actpass, sessionID: 3)).serialized()
            let callID = try await harness.client.connect(to: user, offer: offer, bizOpaqueCallbackData: nil)
            let ringing = try await harness.next(2)
            guard case .callConnect(let connect)? = ringing.last, let answer = connect.session?.sdp else {
                Issue.record("no connect webhook with an answer: \(ringing)")
                return
            }
            #expect(answer.contains("a=ice-lite") && answer.contains("a=setup:active"))
            leg.start(remote: try WebRTCRemoteParameters(parsing: Array(answer.utf8)), ourSetup: .actpass)
            let connected = await leg.events.first(within: .seconds(5)) { if case .dtlsConnected = $0 { true } else { false } }
            #expect(connected != nil, "DTLS is up before the user answers")
            _ = try await harness.simulator.userAnswers(callID)
            let atAnswer = await recorded().count
            #expect(await heard.wait { await recorded().count >= atAnswer + 8000 }, "a second of the answered call")
            let samples = await recorded()
            frequency = ToneDetector.dominantFrequency(samples.suffix(4000), sampleRate: 8000).frequency
            let counters = try await harness.control.request(.GET, "/control/calls/\(callID)/media")
            #expect(counters["live"]?.lenientBool == true && counters["codec"]?.stringValue == "opus", "\(counters)")
            #expect((counters["packets_received"]?.lenientInt ?? 0) >= 25, "the user's leg counts the business's packets")
            _ = try await harness.simulator.userHangsUp(callID)
            _ = try await harness.next(2)
            let over = try await harness.control.request(.GET, "/control/calls/\(callID)/media")
            #expect(over["live"]?.lenientBool == false, "\(over)")
            await leg.close()
        }
        return frequency
    }

    @Test func businessCallHearsTheSimulatedUsersTone() async throws {
        let frequency = try await heard(behaviour: .tone(600))
        #expect(abs(frequency - 600) <= 10, "heard \(frequency) Hz")
    }

    @Test func cheapUserSendsItsPreEncodedToneAndCountsWhatItHears() async throws {
        let frequency = try await heard(behaviour: .preEncodedTone(try PreEncodedTone(frequency: 600)))
        #expect(abs(frequency - 600) <= 10, "heard \(frequency) Hz")
    }

    @Test func echoingUserReturnsTheBusinessTone() async throws {
        let frequency = try await heard(behaviour: .echo)
        #expect(abs(frequency - 1000) <= 10, "heard \(frequency) Hz")
    }
}
