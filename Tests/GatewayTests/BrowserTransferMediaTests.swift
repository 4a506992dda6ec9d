// The media adapter's side of transfers with browsers: a browser fork is offered only
// on an Opus WhatsApp leg (a call whose Meta leg runs G.711 rings no browser).

import CallControl
import Config
import Logging
import Media
import NIOPosix
import SDP
import TestSupport
import Testing
@testable import Gateway

@Suite("Gateway: browser forks of a transfer need an Opus WhatsApp leg")
struct BrowserTransferMediaTests {
    static let logger = Logger(label: "browser-transfer-media-test")

    /// A call whose WhatsApp leg Meta offered with `codecs` (in Meta's order), answered
    /// by `BridgeMediaControl` and connected; `body` runs with the media adapter and call.
    static func connected(metaCodecs codecs: [AudioCodec],
                          _ body: (BridgeMediaControl, CallID) async throws -> Void) async throws {
        var config = GatewayConfig.test()
        config.whatsapp.additionalCodecs = [.pcmu]
        let base = 2 * Int.random(in: 10_000...29_000)
        let ports = RTPPortAllocator(range: base...(base + 40))
        let group = MultiThreadedEventLoopGroup.singleton
        let media = BridgeMediaControl(config: config, ports: ports, group: group, logger: logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .iceLite, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                       sampleRate: 8_000, setupTimeout: .seconds(5))
        userConfiguration.audioCodecs = codecs
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: ports, group: group, logger: logger) {
            ToneRecorderPort(frequency: 600, sampleRate: 8_000, maxSamples: 100)
        }
        let call = CallID("wg-xfer-codec"), context = CallLogContext(callID: call)
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        _ = try await media.openInbound(call, whatsAppOffer: offer.serialized(), number: WhatsAppNumberID("1"),
                                        context: context, preferOpus: false)
        await media.startWhatsApp(call, remoteAnswer: nil, context: context)
        try await body(media, call)
        await media.close(call, context: context)
        await user.close()
        #expect(ports.allocatedCount == 0)
    }

    @Test("Meta's leg on PCMU: the browser fork is refused, no leg stays open")
    func g711LegRingsNoBrowser() async throws {
        try await Self.connected(metaCodecs: [.pcmu, .opus]) { media, call in
            let failure = await #expect(throws: MediaFailure.self) { _ = try await media.offerForAgent(call: call, fork: "a") }
            #expect(failure?.detail.contains("runs PCMU") == true, "\(String(describing: failure))")
            #expect(await media.agentForks[call] == nil)
        }
    }

    @Test("Meta's leg on Opus: the browser fork gets an offer")
    func opusLegRingsBrowsers() async throws {
        try await Self.connected(metaCodecs: [.opus, .pcmu]) { media, call in
            let offer = try await media.offerForAgent(call: call, fork: "a")
            #expect(offer.contains("opus/48000/2"))
        }
    }
}
