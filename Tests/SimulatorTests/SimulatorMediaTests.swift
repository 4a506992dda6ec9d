import Foundation
import Logging
import Media
import NIOPosix
import SDP
import Simulator
import Testing
import WhatsAppCloud

/// The simulated WhatsApp user carries real media: a business-initiated call
/// placed through the simulator's Graph API with a gateway `WebRTCLeg`'s offer
/// is answered in Meta's shape, ICE/DTLS complete, and after the user answers
/// the gateway hears the user's tone (or, with echo, its own tone back).
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
            let leg = try await WebRTCLeg.open(configuration: configuration, allocator: ports,
                                               group: MultiThreadedEventLoopGroup.singleton, logger: quietLogger) {
                ToneRecorderPort(frequency: 1000, sampleRate: 8000, maxSamples: 8000 * 5)
            }
            let offer = try WebRTCSDP.offer(local: leg.localParameters(setup: .actpass, sessionID: 3)).serialized()
            let callID = try await harness.client.connect(to: user, offer: offer, bizOpaqueCallbackData: nil)
            let ringing = try await harness.next(2)
            guard case .callConnect(let connect)? = ringing.last, let answer = connect.session?.sdp else {
                Issue.record("no connect webhook with an answer: \(ringing)")
                return
            }
            #expect(answer.contains("a=ice-lite") && answer.contains("a=setup:active"))
            leg.start(remote: try WebRTCRemoteParameters(parsing: Array(answer.utf8)), ourSetup: .actpass)
            try await Task.sleep(for: .milliseconds(500))
            _ = try await harness.simulator.userAnswers(callID)
            try await Task.sleep(for: .seconds(1.5))
            let samples = try await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }
            frequency = Self.dominantFrequency(samples, sampleRate: 8000)
            _ = try await harness.simulator.userHangsUp(callID)
            _ = try await harness.next(2)
            await leg.close()
        }
        return frequency
    }

    @Test func businessCallHearsTheSimulatedUsersTone() async throws {
        let frequency = try await heard(behaviour: .tone(600))
        #expect(abs(frequency - 600) <= 10, "heard \(frequency) Hz")
    }

    @Test func echoingUserReturnsTheBusinessTone() async throws {
        let frequency = try await heard(behaviour: .echo)
        #expect(abs(frequency - 1000) <= 10, "heard \(frequency) Hz")
    }

    /// Goertzel scan over the last half second, 10 Hz steps.
    static func dominantFrequency(_ samples: [Int16], sampleRate: Int) -> Double {
        let window = samples.suffix(sampleRate / 2).map(Double.init)
        var best = (0.0, 0.0)
        for step in 10...340 {
            let f = Double(step * 10)
            let c = 2 * cos(2 * Double.pi * f / Double(sampleRate))
            var s1 = 0.0, s2 = 0.0
            for x in window { (s1, s2) = (x + c * s1 - s2, s1) }
            let power = s1 * s1 + s2 * s2 - c * s1 * s2
            if power > best.1 { best = (f, power) }
        }
        return best.0
    }
}
