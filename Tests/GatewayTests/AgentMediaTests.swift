import CallControl
import Config
import Logging
import Media
import NIOPosix
import SDP
import TestSupport
import Testing
@testable import Gateway

/// `BridgeMediaControl` as `AgentMedia` with real legs on 127.0.0.1: an inbound call
/// rings two browsers, one answers and hears the WhatsApp user (and is heard) with no
/// Opus work; the other fork's leg is closed; a browser's WebRTC offer on an outbound
/// call opens a browser business side.
@Suite(.serialized) struct AgentMediaTests {
    static let logger = Logger(label: "agent-media-test")
    static let rate = 16_000

    static func legConfiguration(_ mode: WebRTCLegConfiguration.Mode) -> WebRTCLegConfiguration {
        var configuration = WebRTCLegConfiguration(mode: mode, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                   sampleRate: rate, setupTimeout: .seconds(5))
        configuration.consentInterval = .milliseconds(500)
        return configuration
    }

    static func allocator() -> RTPPortAllocator {
        let base = 2 * Int.random(in: 10_000...29_000)
        return RTPPortAllocator(range: base...(base + 400))
    }

    static func tone(_ leg: WebRTCLeg, _ frequency: Double, changes: ChangeSignal) async -> Bool {
        await changes.wait(timeout: .seconds(20)) {
            let heard = (try? await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }) ?? []
            guard heard.count >= rate / 2 else { return false }
            let found = ToneDetector.dominantFrequency(heard.suffix(rate / 4), sampleRate: rate, from: 300, to: 1_500, step: 50)
            return found.rms > 1000 && abs(found.frequency - frequency) <= 50
        }
    }

    @Test func inboundCallRingsTwoBrowsersAndTheWinnerIsPassedThrough() async throws {
        let ports = Self.allocator()
        let group = MultiThreadedEventLoopGroup.singleton
        let media = BridgeMediaControl(config: .test(), ports: ports, group: group, logger: Self.logger)
        let call = CallID("wg-browser-1"), context = CallLogContext(callID: call)
        let userHeard = ChangeSignal(), chromeHeard = ChangeSignal()
        let user = try await WebRTCLeg.open(configuration: Self.legConfiguration(.iceLite), allocator: ports, group: group,
                                            logger: Self.logger) {
            ToneRecorderPort(frequency: 600, sampleRate: Self.rate, maxSamples: Self.rate * 40, changes: userHeard)
        }
        let metaOffer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let session = try await media.openInbound(call, whatsAppOffer: metaOffer.serialized(), number: WhatsAppNumberID("1"),
                                                  context: context, preferOpus: true)

        let offerA = try await media.offerForAgent(call: call, fork: "a")
        let offerB = try await media.offerForAgent(call: call, fork: "b")
        let parsedA = try WebRTCRemoteParameters(parsing: Array(offerA.utf8))
        let parsedB = try WebRTCRemoteParameters(parsing: Array(offerB.utf8))
        #expect(parsedA.isICELite && parsedA.setup == .actpass)
        #expect(parsedA.defaultPort != parsedB.defaultPort, "each fork has its own leg")
        #expect(parsedB.opusParameters?["maxplaybackrate"] == "16000", "Meta's Opus limits reach the browser")

        let chrome = try await WebRTCLeg.open(configuration: Self.legConfiguration(.gateway), allocator: ports, group: group,
                                              logger: Self.logger) {
            ToneRecorderPort(frequency: 1000, sampleRate: Self.rate, maxSamples: Self.rate * 40, changes: chromeHeard)
        }
        let chromeAnswer = try WebRTCSDP.answer(toOffer: SessionDescription(parsing: offerB),
                                                local: chrome.localParameters(setup: .active, sessionID: 9))
        chrome.start(remote: parsedB, ourSetup: .active)
        let allocatedWithForks = ports.allocatedCount
        try await media.agentAnswered(call: call, fork: "b", sdp: chromeAnswer.serialized())
        #expect(ports.allocatedCount == allocatedWithForks - 1, "the losing fork's leg is closed")
        // As call control orders it: the answering agent first, then pre_accept/accept
        // connect Meta's leg (so no WhatsApp audio reaches a bridge without a business side).
        user.start(remote: try WebRTCRemoteParameters(parsing: Array(session.whatsAppAnswer.utf8)), ourSetup: .actpass)
        await media.startWhatsApp(call, remoteAnswer: nil, context: context)
        await media.startBridging(call, context: context)

        #expect(await Self.tone(user, 1000, changes: userHeard), "the WhatsApp user hears the browser")
        #expect(await Self.tone(chrome, 600, changes: chromeHeard), "the browser hears the WhatsApp user")
        let stats = try #require(await media.statistics(of: [call])[call])
        #expect(stats.businessLeg == "browser")
        #expect(stats.opusEncodedFrames == 0 && stats.opusDecodedFrames == 0)

        await media.close(call, context: context)
        await chrome.close()
        await user.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test func aBrowsersOfferOpensABrowserBusinessSide() async throws {
        let ports = Self.allocator()
        let group = MultiThreadedEventLoopGroup.singleton
        let media = BridgeMediaControl(config: .test(), ports: ports, group: group, logger: Self.logger)
        let call = CallID("wg-browser-2"), context = CallLogContext(callID: call)
        let chrome = try await WebRTCLeg.open(configuration: Self.legConfiguration(.gateway), allocator: ports, group: group,
                                              logger: Self.logger) { ToneRecorderPort(frequency: 1000, sampleRate: Self.rate, maxSamples: 100) }
        let offer = try WebRTCSDP.offer(local: chrome.localParameters(setup: .actpass, sessionID: 5)).serialized()
        let session = try await media.openOutbound(call, sipOffer: offer, number: WhatsAppNumberID("1"), context: context)
        let answer = try WebRTCRemoteParameters(parsing: Array(session.sipAnswer.utf8))
        #expect(answer.isICELite && answer.setup == .passive)
        let whatsApp = try WebRTCRemoteParameters(parsing: Array(session.whatsAppOffer.utf8))
        #expect(whatsApp.audioPayloads.map(\.codec) == [.opus], "no G.711 toward Meta for a browser")
        await media.close(call, context: context)
        await chrome.close()
        #expect(ports.allocatedCount == 0)
    }
}
