import Foundation
import Logging
import Media
import NIOCore
import NIOPosix
import SDP

/// `--mode=browser`: `calls` browser ⇄ WhatsApp calls on 127.0.0.1. Each bridge (on the
/// bridge thread) has a WhatsApp leg facing a simulated user and a `.browser` leg facing a
/// simulated browser (a `.gateway`-mode leg: full ICE, controlling, DTLS client, as
/// Chrome is); both peers (on the peer thread) send one precomputed Opus payload every
/// 20 ms and count what arrives. The bridge thread's CPU over the window, divided by
/// calls and seconds, is comparable with `LoadRun`'s PCMU and Opus-phone figures.
struct BrowserLoadRun {
    struct Call {
        let bridge: MediaBridge
        let user: WebRTCLeg
        let browserLeg: WebRTCLeg
        let chrome: WebRTCLeg
    }

    let bridgeGroup: MultiThreadedEventLoopGroup
    let peerGroup: MultiThreadedEventLoopGroup
    let allocator: RTPPortAllocator
    let logger: Logger
    let payload: [UInt8]
    let window: Double

    /// CPU µs per call-second on the bridge thread, the packets both peers received,
    /// the loss they saw, the Opus frames the bridges encoded and decoded (0 expected), and the packets
    /// both peers received from the calls' start to the window's end, and the bridge thread's CPU µs in the window.
    func run(calls count: Int) async throws -> (cpu: Double, received: Int, lossFraction: Double, opusFrames: Int, packetsTotal: Int,
                                                cpuInWindow: Double) {
        var calls: [Call] = []
        for _ in 0..<count { calls.append(try await openCall()) }
        try await Task.sleep(for: .seconds(1.5))  // ICE, DTLS
        try await waitUntilFlowing { try await counters(calls).received > 0 }
        let bridgeLoop = bridgeGroup.next()
        let (cpuBefore, before) = (try await bridgeLoop.submit { threadCPUNanoseconds() }.get(), try await counters(calls))
        let start = ContinuousClock.now
        try await startCallgrindWindow(bridgeLoop: bridgeLoop)
        try await Task.sleep(for: .milliseconds(Int(window * 1000)))
        try await endCallgrindWindow(bridgeLoop: bridgeLoop)
        let (cpuAfter, after) = (try await bridgeLoop.submit { threadCPUNanoseconds() }.get(), try await counters(calls))
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var opusFrames = 0
        for call in calls {
            let stats = await call.bridge.statistics()
            opusFrames += stats.opusEncodedFrames + stats.opusDecodedFrames
        }
        for call in calls {
            await call.bridge.close()
            await call.browserLeg.close()
            await call.chrome.close()
            await call.user.close()
        }
        let received = after.received - before.received, lost = after.lost - before.lost
        let cpu = Double(cpuAfter - cpuBefore) / 1_000 / seconds / Double(count)
        return (cpu, received, received + lost > 0 ? Double(lost) / Double(received + lost) : 1, opusFrames, after.received,
                Double(cpuAfter - cpuBefore) / 1_000)
    }

    private func counters(_ calls: [Call]) async throws -> (received: Int, lost: Int) {
        var received = 0, lost = 0
        for call in calls {
            for leg in [call.user, call.chrome] {
                let (r, l) = try await leg.withAudioPort { port -> (Int, Int) in
                    let counters = (port as? BenchUserPort)?.counters
                    return (counters?.received ?? 0, counters?.lost ?? 0)
                }
                received += r
                lost += l
            }
        }
        return (received, lost)
    }

    private func openPeer(_ mode: WebRTCLegConfiguration.Mode) async throws -> WebRTCLeg {
        var configuration = WebRTCLegConfiguration(mode: mode, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"])
        configuration.sampleRate = 16_000
        let payload = self.payload
        return try await WebRTCLeg.open(configuration: configuration, allocator: allocator, group: peerGroup.next(), logger: logger) {
            BenchUserPort(payload: payload)
        }
    }

    private func openCall() async throws -> Call {
        let webRTC = WebRTCLegConfiguration(mode: .gateway, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"], sampleRate: 16_000)
        let bridge = try await MediaBridge.open(configuration: MediaBridgeConfiguration(webRTC: webRTC, sipBindHost: "127.0.0.1", label: "bench"),
                                                allocator: allocator, group: bridgeGroup, logger: logger)
        let user = try await openPeer(.iceLite)
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: bridge.webrtc.localParameters(setup: .active, sessionID: 2))

        let browserLeg = try await bridge.openBrowserLeg(configuration: webRTC, allocator: allocator, logger: logger)
        let chrome = try await openPeer(.gateway)
        let ours = try WebRTCSDP.browserOffer(local: browserLeg.localParameters(setup: .actpass, sessionID: 3))
        let chromeAnswer = try WebRTCSDP.answer(toOffer: ours, local: chrome.localParameters(setup: .active, sessionID: 4))
        chrome.start(remote: try WebRTCRemoteParameters(ours), ourSetup: .active)
        browserLeg.start(remote: try WebRTCRemoteParameters(chromeAnswer), ourSetup: .actpass)
        await bridge.attachBrowser(browserLeg)
        // Meta's leg connects once the business side is there (as pre_accept/accept order it).
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        return Call(bridge: bridge, user: user, browserLeg: browserLeg, chrome: chrome)
    }
}
