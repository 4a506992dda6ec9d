import Foundation
import Logging
import Media
import NIOPosix
import SDP
import TestSupport
import Testing

/// The WebRTC leg back to back on 127.0.0.1: the gateway (full ICE, controlling)
/// against the simulated WhatsApp user (ICE-lite, Meta-shaped SDP), each sending
/// its own tone and hearing the other's.
@Suite(.serialized) struct WebRTCLegTests {
    let logger = Logger(label: "test")

    static func allocator() -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + 400))
    }

    func open(_ mode: WebRTCLegConfiguration.Mode, rate: Int, tone: Double, allocator: RTPPortAllocator,
              clock: MediaClock = .system, heard changes: ChangeSignal = ChangeSignal(),
              setupTimeout: Duration = .seconds(5)) async throws -> WebRTCLeg {
        var configuration = WebRTCLegConfiguration(mode: mode, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                   sampleRate: rate, setupTimeout: setupTimeout)
        configuration.consentInterval = .milliseconds(500)
        configuration.clock = clock
        return try await WebRTCLeg.open(configuration: configuration, allocator: allocator,
                                        group: MultiThreadedEventLoopGroup.singleton, logger: logger) {
            ToneRecorderPort(frequency: tone, sampleRate: rate, maxSamples: rate * 3, changes: changes)
        }
    }

    /// Waits until `leg` (opened with `changes`) has heard `samples` samples.
    func waitUntil(_ leg: WebRTCLeg, heard samples: Int, changes: ChangeSignal) async -> Bool {
        await changes.wait(timeout: .seconds(20)) { ((try? await recorded(leg)) ?? []).count >= samples }
    }

    func waitFor(_ leg: WebRTCLeg, _ wanted: WebRTCLegEvent, seconds: Double = 5) async -> [WebRTCLegEvent] {
        await withTaskGroup(of: [WebRTCLegEvent].self) { group in
            group.addTask {
                var seen: [WebRTCLegEvent] = []
                for await event in leg.events {
                    seen.append(event)
                    if event == wanted { break }
                    if case .failed = event { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    func recorded(_ leg: WebRTCLeg) async throws -> [Int16] {
        try await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }
    }

    @Test(arguments: [8000, 16000])
    func gatewayAnswersMetaStyleOfferAndTonesFlowBothWays(rate: Int) async throws {
        let ports = Self.allocator()
        let userHeard = ChangeSignal(), gatewayHeard = ChangeSignal()
        let user = try await open(.iceLite, rate: 16000, tone: 600, allocator: ports, heard: userHeard)
        let gateway = try await open(.gateway, rate: rate, tone: 1000, allocator: ports, heard: gatewayHeard)
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: gateway.localParameters(setup: .active, sessionID: 2))
        gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)

        let gatewayEvents = await waitFor(gateway, .mediaFlowing)
        #expect(gatewayEvents.contains(.mediaFlowing), "gateway events: \(gatewayEvents)")
        #expect(gatewayEvents.contains { if case .dtlsConnected = $0 { true } else { false } })
        #expect(await waitUntil(gateway, heard: rate * 3 / 4, changes: gatewayHeard))
        #expect(await waitUntil(user, heard: 16000 * 3 / 4, changes: userHeard))

        let heardByGateway = ToneAnalysis.dominantFrequency(try await recorded(gateway), sampleRate: rate)
        let heardByUser = ToneAnalysis.dominantFrequency(try await recorded(user), sampleRate: 16000)
        #expect(abs(heardByGateway.frequency - 600) <= 10, "gateway heard \(heardByGateway)")
        #expect(abs(heardByUser.frequency - 1000) <= 10, "user heard \(heardByUser)")
        #expect(heardByGateway.rms > 2000 && heardByUser.rms > 2000)
        let stats = await gateway.statistics()
        #expect(stats.packetsSent > 20 && stats.packetsReceived > 20 && stats.srtpFailures == 0)
        await gateway.close()
        await user.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test func wrongFingerprintIsRefusedAndReported() async throws {
        let ports = Self.allocator()
        let user = try await open(.iceLite, rate: 16000, tone: 600, allocator: ports)
        let gateway = try await open(.gateway, rate: 8000, tone: 1000, allocator: ports)
        var offerParameters = user.localParameters(setup: .actpass, sessionID: 1)
        offerParameters.fingerprint = Fingerprint(bytes: [UInt8](repeating: 0xAB, count: 32))
        let offer = try WebRTCSDP.metaStyleOffer(local: offerParameters)
        let answer = try WebRTCSDP.answer(toOffer: offer, local: gateway.localParameters(setup: .active, sessionID: 2))
        gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        let events = await waitFor(gateway, .mediaFlowing)
        #expect(events.contains { if case .failed(let reason) = $0 { reason.contains("DTLS") } else { false } }, "\(events)")
        #expect(!events.contains(.mediaFlowing))
        await gateway.close()
        await user.close()
    }

    @Test func peerThatStopsAnsweringConsentChecksEndsTheLeg() async throws {
        let ports = Self.allocator()
        let clock = AdvancingClock()
        let user = try await open(.iceLite, rate: 16000, tone: 600, allocator: ports)
        let gateway = try await open(.gateway, rate: 8000, tone: 1000, allocator: ports, clock: clock.media)
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: gateway.localParameters(setup: .active, sessionID: 2))
        gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        #expect(await waitFor(gateway, .mediaFlowing).contains(.mediaFlowing))
        await user.close()  // the peer vanishes mid-call
        clock.advance(by: .seconds(31))  // past the 30 s consent timeout (RFC 7675 §5.1)
        let events = await waitFor(gateway, .closed, seconds: 3)
        #expect(events.contains { if case .failed(let reason) = $0 { reason.contains("consent") } else { false } }, "\(events)")
        await gateway.close()
    }

    @Test func silentPeerMakesICEFailWithAReason() async throws {
        let ports = Self.allocator()
        let clock = AdvancingClock()
        let user = try await open(.iceLite, rate: 16000, tone: 600, allocator: ports)
        let gateway = try await open(.gateway, rate: 8000, tone: 1000, allocator: ports, clock: clock.media)
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        await user.close()  // the peer is gone: nothing answers the checks
        gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        _ = await gateway.statistics()  // runs on the leg's loop after the start, so the setup deadline is set
        clock.advance(by: .seconds(6))  // past the 5 s setup timeout
        let events = await waitFor(gateway, .mediaFlowing, seconds: 3)
        #expect(events.contains { if case .failed = $0 { true } else { false } }, "\(events)")
        await gateway.close()
    }
}
