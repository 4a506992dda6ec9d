import Foundation
import Media
import Testing

/// An SDES-keyed WhatsApp leg has no ICE or DTLS to time out, so its setup
/// deadline covers the peer's first authenticated SRTP packet: a peer that never
/// sends, or sends with a key that does not authenticate, fails the leg (and so
/// the call) within `setupTimeout`, with the reason and the failures counted.
@Suite(.serialized) struct SDESLegDeadlineTests {
    let legs = SDESLegTests()

    /// The gateway leg's failure reason within `seconds`, or nil when it did not fail.
    func failure(of leg: WebRTCLeg, within seconds: Double) async -> String? {
        let events = await legs.harness.waitFor(leg, .closed, seconds: seconds)
        for case .failed(let reason) in events { return reason }
        return nil
    }

    @Test func aPeerThatNeverSendsFailsTheLegWithinTheDeadline() async throws {
        let pair = try await legs.pair(rtcpMux: true, ports: WebRTCLegTests.allocator(), gatewaySetupTimeout: .seconds(1))
        let started = ContinuousClock.now
        pair.gateway.start(sdes: pair.gatewayMedia)  // Meta's leg is never started: it stays silent
        let reason = await failure(of: pair.gateway, within: 5)
        let elapsed = ContinuousClock.now - started
        #expect(reason?.contains("no media from the SDES peer") == true, "\(String(describing: reason))")
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "failed after \(elapsed)")
        let stats = await pair.gateway.statistics()
        #expect(stats.packetsSent > 0 && stats.srtpFailures == 0, "wagate sent first; nothing came back: \(stats)")
        await pair.gateway.close()
        await pair.meta.close()
    }

    @Test func aPeerKeyedWrongFailsTheLegWithItsPacketsCounted() async throws {
        let pair = try await legs.pair(rtcpMux: true, ports: WebRTCLegTests.allocator(), gatewaySetupTimeout: .seconds(1))
        var wrong = pair.metaMedia
        wrong.keys.localKeyAndSalt = wrong.keys.localKeyAndSalt.map { $0 ^ 0x5A }
        pair.meta.start(sdes: wrong, sending: .now)
        pair.gateway.start(sdes: pair.gatewayMedia)
        let reason = await failure(of: pair.gateway, within: 5)
        #expect(reason?.contains("no media from the SDES peer") == true, "\(String(describing: reason))")
        let stats = await pair.gateway.statistics()
        #expect(stats.srtpFailures > 10, "Meta's packets reached libsrtp and failed: \(stats)")
        #expect(reason?.contains("failed authentication") == true && reason?.contains("(0 packets") == false,
                "the reason counts the failures: \(String(describing: reason))")
        await pair.gateway.close()
        await pair.meta.close()
    }

    @Test func aPeerHeardInTimeKeepsTheLegPastTheDeadline() async throws {
        let pair = try await legs.pair(rtcpMux: true, ports: WebRTCLegTests.allocator(), gatewaySetupTimeout: .seconds(1))
        pair.meta.start(sdes: pair.metaMedia, sending: .whenPeerHeard)
        pair.gateway.start(sdes: pair.gatewayMedia)
        #expect(await failure(of: pair.gateway, within: 2.5) == nil, "the leg outlived its deadline")
        let stats = await pair.gateway.statistics()
        #expect(stats.packetsReceived > 20 && stats.srtpFailures == 0, "\(stats)")
        await pair.gateway.close()
        await pair.meta.close()
    }
}
