import Logging
import Media
import NIOPosix
import SDP
import TestSupport
import Testing

/// A browser as the business side, all on 127.0.0.1: a `.gateway`-mode leg plays Chrome
/// (full ICE, controlling, DTLS client) against the bridge's `.browser` leg (ICE-lite,
/// DTLS server), and the simulated WhatsApp user (ICE-lite) faces the bridge's WhatsApp
/// leg. Tones cross both ways with no Opus work in the bridge.
@Suite(.serialized) struct BrowserBridgeTests {
    static let rate = 16_000
    static let logger = Logger(label: "browser-bridge-test")

    /// The bridge, the simulated WhatsApp user and the simulated browser, connected.
    struct Call {
        let bridge: MediaBridge
        let user: WebRTCLeg
        let browserLeg: WebRTCLeg
        let chrome: WebRTCLeg
        let userChanges: ChangeSignal
        let chromeChanges: ChangeSignal

        func close() async {
            await bridge.close()
            if let leg = await bridge.detachBrowser() { await leg.close() }
            await browserLeg.close()
            await chrome.close()
            await user.close()
        }
    }

    static func legConfiguration(_ mode: WebRTCLegConfiguration.Mode) -> WebRTCLegConfiguration {
        var configuration = WebRTCLegConfiguration(mode: mode, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"],
                                                   sampleRate: rate, setupTimeout: .seconds(5))
        configuration.consentInterval = .milliseconds(500)
        return configuration
    }

    static func open(timeout: Duration = .seconds(30)) async throws -> Call {
        let ports = BridgedCall.allocator()
        let group = MultiThreadedEventLoopGroup.singleton
        let bridge = try await MediaBridge.open(configuration: BridgedCall.configuration(rate: rate, timeout: timeout), allocator: ports,
                                                group: group, logger: logger)
        let userChanges = ChangeSignal(), chromeChanges = ChangeSignal()
        let user = try await WebRTCLeg.open(configuration: legConfiguration(.iceLite), allocator: ports, group: group, logger: logger) {
            ToneRecorderPort(frequency: 600, sampleRate: rate, maxSamples: rate * 40, changes: userChanges)
        }
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: bridge.webrtc.localParameters(setup: .active, sessionID: 2))

        let browserLeg = try await bridge.openBrowserLeg(configuration: legConfiguration(.gateway), allocator: ports, logger: logger)
        let chrome = try await WebRTCLeg.open(configuration: legConfiguration(.gateway), allocator: ports, group: group, logger: logger) {
            ToneRecorderPort(frequency: 1000, sampleRate: rate, maxSamples: rate * 40, changes: chromeChanges)
        }
        let ours = try WebRTCSDP.browserOffer(local: browserLeg.localParameters(setup: .actpass, sessionID: 3))
        let chromeAnswer = try WebRTCSDP.answer(toOffer: ours, local: chrome.localParameters(setup: .active, sessionID: 4))
        chrome.start(remote: try WebRTCRemoteParameters(ours), ourSetup: .active)
        browserLeg.start(remote: try WebRTCRemoteParameters(chromeAnswer), ourSetup: .actpass)
        #expect(await bridge.attachBrowser(browserLeg))
        // Meta's leg connects once the business side is there (as pre_accept/accept order it).
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        return Call(bridge: bridge, user: user, browserLeg: browserLeg, chrome: chrome, userChanges: userChanges, chromeChanges: chromeChanges)
    }

    static func heard(_ leg: WebRTCLeg) async -> [Int16] {
        (try? await leg.withAudioPort { ($0 as? ToneRecorderPort)?.recorded ?? [] }) ?? []
    }

    /// Waits until the last half second `leg` heard is a steady `frequency` tone.
    static func hears(_ leg: WebRTCLeg, _ frequency: Double, changes: ChangeSignal) async -> Bool {
        await changes.wait(timeout: .seconds(20)) {
            let samples = await heard(leg)
            guard samples.count >= rate / 2 else { return false }
            return ToneCheck.isSteadyTone(Array(samples.suffix(rate / 2)), frequency: frequency, sampleRate: rate)
        }
    }

    @Test func tonesCrossBothWaysWithoutOpusWorkInTheBridge() async throws {
        let call = try await Self.open()
        #expect(await Self.hears(call.user, 1000, changes: call.userChanges), "the WhatsApp user hears the browser")
        #expect(await Self.hears(call.chrome, 600, changes: call.chromeChanges), "the browser hears the WhatsApp user")
        let stats = await call.bridge.statistics()
        #expect(stats.businessLeg == "browser")
        #expect(stats.passThrough)
        #expect(stats.opusEncodedFrames == 0 && stats.opusDecodedFrames == 0)
        #expect(stats.sip.codec == "opus" && stats.sip.packetsReceived > 20 && stats.sip.packetsSent > 20)
        #expect(stats.whatsapp.packetsReceived > 20 && stats.whatsapp.packetsSent > 20)
        let browser = await call.browserLeg.statistics()
        #expect(browser.srtpFailures == 0)
        await call.close()
    }

    @Test func holdKeepsMetaFedWithSilenceAndStopsTheBrowsersAudio() async throws {
        let call = try await Self.open()
        #expect(await Self.hears(call.user, 1000, changes: call.userChanges))
        call.bridge.setBusinessMedia(held: true, muted: false)
        // Meta keeps receiving a packet every 20 ms: the user's recorder fills with silence.
        let silent = await call.userChanges.wait(timeout: .seconds(20)) {
            let samples = await Self.heard(call.user)
            return samples.count >= Self.rate / 2 && ToneDetector.rms(Array(samples.suffix(Self.rate / 2))) < 200
        }
        #expect(silent, "the user hears silence frames while held")
        let userBefore = await call.user.statistics().packetsReceived
        let chromeBefore = await call.chrome.statistics().packetsReceived
        let kept = await call.userChanges.wait(timeout: .seconds(20)) {
            await call.user.statistics().packetsReceived >= userBefore + 50
        }
        #expect(kept, "50 more packets reach the user while held")
        let chromeDuring = await call.chrome.statistics().packetsReceived - chromeBefore
        #expect(chromeDuring <= 2, "nothing is forwarded to the held browser (\(chromeDuring))")

        call.bridge.setBusinessMedia(held: false, muted: true)
        #expect(await Self.hears(call.chrome, 600, changes: call.chromeChanges), "muted: the browser still hears WhatsApp")
        let stillSilent = await Self.heard(call.user).suffix(Self.rate / 4)
        #expect(ToneDetector.rms(Array(stillSilent)) < 200, "muted: the user hears silence")

        call.bridge.setBusinessMedia(held: false, muted: false)
        #expect(await Self.hears(call.user, 1000, changes: call.userChanges), "resumed: the user hears the browser again")
        await call.close()
    }

    @Test func whatsAppSilenceEndsABrowserCallByRTPTimeout() async throws {
        let call = try await Self.open(timeout: .seconds(1))
        let events = EventLog(call.bridge.events)
        #expect(await Self.hears(call.chrome, 600, changes: call.chromeChanges))
        await call.user.close()  // Meta's leg goes quiet
        #expect(await events.wait(seconds: 20) { $0.contains { if case .rtpTimeout(.whatsapp, _) = $0 { true } else { false } } },
                "a bridge with only a browser side still times out WhatsApp's RTP")
        await call.close()
    }
}
