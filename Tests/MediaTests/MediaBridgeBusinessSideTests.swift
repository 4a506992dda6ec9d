import Foundation
import Media
import NIOCore
import TestSupport
import Testing

/// A blind transfer at the bridge: phone A (1000 Hz) is detached, the
/// WhatsApp user hears ringback on the same stream, phone B (1400 Hz, maybe
/// another codec) is set on the same port and joined. Meta's leg never
/// pauses or jumps; A's late packets reach nobody; B and the user hear each other.
@Suite(.serialized) struct MediaBridgeBusinessSideTests {
    static let opus = SIPMediaCodec.opus(payloadType: 111)

    static func phone(_ codec: SIPMediaCodec, frequency: Double) -> SIPTestEndpoint.Options {
        var options = SIPTestEndpoint.Options(codec: codec, frequency: frequency)
        if codec.isPassThrough { options.opusPayloads = OpusPayloadPort.tonePayloads(frequency: frequency, count: 100) }
        return options
    }

    @Test(arguments: [(SIPMediaCodec.pcmu, SIPMediaCodec.pcma), (opus, opus), (opus, .pcma)])
    func transferKeepsTheWhatsAppStream(first: SIPMediaCodec, second: SIPMediaCodec) async throws {
        let call = try await BridgedCall.open(Self.phone(first, frequency: 1000)) {
            StreamListenerPort(frequency: 600, sampleRate: BridgedCall.userRate, maxSamples: BridgedCall.userRecordingLimit, changes: $0)
        }
        #expect(!(await call.userToneWindow(frequency: 1000)).isEmpty, "the user hears phone A")

        call.bridge.detachBusiness(filler: .ringback(.eu))
        let ringing = await call.userToneWindow(frequency: 425)
        let ring = ToneAnalysis.dominantFrequency(ringing, sampleRate: BridgedCall.userRate, from: 300, to: 1500)
        #expect(abs(ring.frequency - 425) <= 10, "the user hears ringback, not phone A: \(ring)")
        try await expectAPacketPer20Milliseconds(call)
        let heardByA = await call.endpoint.received().packets

        let phoneB = try await SIPTestEndpoint.open(Self.phone(second, frequency: 1400))
        let withB = call.with(endpoint: phoneB)
        call.bridge.setSIPLeg(SIPLegParameters(codec: second, telephoneEventPayloadType: 101, remoteAddress: "127.0.0.1",
                                               remotePort: phoneB.port))
        phoneB.start(to: call.bridge.sipPort)
        call.bridge.joinBusiness()
        let userHearsB = ToneAnalysis.dominantFrequency(await call.userToneWindow(frequency: 1400), sampleRate: BridgedCall.userRate)
        #expect(abs(userHearsB.frequency - 1400) <= 10, "the user hears B only (A still sends): \(userHearsB)")
        let bHearsUser = ToneAnalysis.dominantFrequency(await withB.endpointToneWindow(frequency: 600, sampleRate: second.sampleRate),
                                                        sampleRate: second.sampleRate)
        #expect(abs(bHearsUser.frequency - 600) <= 10, "B hears the user: \(bHearsUser)")
        #expect(await call.endpoint.received().packets == heardByA, "nothing more is sent to A after the detach")

        try await expectOneContinuousStream(call)
        let stats = await call.bridge.statistics()
        #expect(stats.sip.codec == second.name && stats.passThrough == second.isPassThrough, "after the switch: \(stats.sip)")
        #expect(stats.sip.packetsReceived > 0 && stats.whatsapp.packetsSent > 100)
        await phoneB.close()
        await call.close()
        #expect(call.ports.allocatedCount == 0)
    }

    @Test func aDetachedSideHasNoRTPTimeout() async throws {
        let call = try await BridgedCall.open(Self.phone(.pcmu, frequency: 1000),
                                              configuration: BridgedCall.configuration(timeout: .milliseconds(600)))
        #expect(!(await call.userToneWindow(frequency: 1000)).isEmpty)
        call.bridge.detachBusiness(filler: .silence)
        await call.endpoint.stopSending()  // the old phone went away: its silence must not end the call
        #expect(try await call.waitForMoreAudio(seconds: 1.5))
        #expect(!call.bridgeEvents.all.contains { if case .rtpTimeout = $0 { true } else { false } })
        let quiet = try await call.userHeard().suffix(BridgedCall.userRate / 2)
        #expect(ToneDetector.rms(quiet) < 200, "the user hears silence")
        await call.close()
    }

    /// 100 packets after the ringback started arrive at 40–60 packets a second.
    /// Meta's leg keeps receiving a packet per 20 ms of media while detached: 100
    /// more packets arrive, each one 20 ms (960 at 48 kHz) of RTP time after the
    /// last. Wall-clock spacing is not checked: a starved test machine delays the
    /// bridge's tick and the ticker then catches up, which is correct behaviour.
    private func expectAPacketPer20Milliseconds(_ call: BridgedCall, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let start = try await call.userPackets().count
        #expect(await call.userChanges.wait(timeout: BridgedCall.mediaDeadline) {
            ((try? await call.userPackets()) ?? []).count >= start + 100
        }, sourceLocation: sourceLocation)
        let packets = try await call.userPackets()
        guard packets.count >= start + 100 else { return }
        let window = packets[start..<(start + 100)]
        let steps = zip(window, window.dropFirst()).map { ($1.sequence &- $0.sequence, $1.timestamp &- $0.timestamp) }
        #expect(steps.allSatisfy { (1...3).contains($0.0) && $0.1 == 960 * UInt32($0.0) },
                "Meta's leg gets one 20 ms packet per sequence number while detached: \(steps.filter { $0.1 != 960 })",
                sourceLocation: sourceLocation)
    }

    /// Every packet Meta got follows the last: sequence +1 (a rare loopback loss
    /// at most a few), timestamp +960 per sequence number.
    private func expectOneContinuousStream(_ call: BridgedCall, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let packets = try await call.userPackets()
        #expect(packets.count > 150, sourceLocation: sourceLocation)
        for (previous, next) in zip(packets, packets.dropFirst()) {
            let step = next.sequence &- previous.sequence
            guard (1...3).contains(step), next.timestamp &- previous.timestamp == 960 * UInt32(step) else {
                Issue.record("the WhatsApp stream jumps: \(previous) → \(next)", sourceLocation: sourceLocation)
                return
            }
        }
    }
}
