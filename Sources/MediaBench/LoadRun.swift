import Codecs
import Foundation
import Logging
import Media
import NIOCore
import NIOPosix
import SDP

/// One step of the load ladder: `calls` bridged calls on 127.0.0.1, the
/// bridges on one event loop thread (one core), the synthetic peers on another.
struct LoadRun {
    struct Result {
        var calls: Int
        var cpuMicrosecondsPerCallSecond: Double
        var p50: Double
        var p99: Double
        var lossFraction: Double
        var lateFraction: Double
        var deliveredRatio: Double
        var memoryPerCallKB: Double
        /// Packets both peers received from the calls' start to the window's end, and within the window.
        var packetsTotal = 0
        var packetsInWindow = 0
        /// Opus frames the bridges encoded and decoded (concealed ones too) within the window: a
        /// transcoded call's packets through the bridge, whether or not a peer got them in time.
        var opusFramesInWindow = 0
        /// Bridge-thread CPU over the window, µs.
        var cpuMicrosecondsInWindow = 0.0
        /// Delay added beyond each stream's fastest packet, at the peers, p99 in ms; and the fraction of packets
        /// the peers got 20 ms or more behind (a whole frame late).
        var peerDelayP99 = 0.0
        var peerLateFraction = 0.0
        /// Loss and lateness come from sequence numbers and the bridge's own clock; the delivered ratio (counted
        /// per call between two snapshots that take tens of ms to walk every call) gets 2 % for that skew.
        var ok: Bool { lossFraction <= 0.001 && lateFraction <= 0.001 && peerLateFraction <= 0.001 && deliveredRatio >= 0.98 }
        /// Calls one core carries at this CPU cost (1 s of CPU / CPU per call-second).
        var callsPerCoreByCPU: Double { 1_000_000 / cpuMicrosecondsPerCallSecond }
    }

    struct Call {
        let bridge: MediaBridge
        let user: WebRTCLeg
        let peer: NIOLoopBound<SIPPeer>
        let peerChannel: any Channel
    }

    let bridgeGroup: MultiThreadedEventLoopGroup
    let peerGroup: MultiThreadedEventLoopGroup
    let allocator: RTPPortAllocator
    let logger: Logger
    let passThrough: Bool
    let sipPayload: [UInt8]
    let userPayload: [UInt8]
    var window: Double
    /// The WhatsApp leg's Opus PCM rate and complexity (8 kHz / 5 normally; 48 kHz / 10 for the heavy reference).
    var sampleRate = 8_000
    var complexity = 5
    /// G.711 on the WhatsApp leg too (Meta's `additional_codecs`): no Opus at all.
    var whatsAppG711 = false

    func run(calls count: Int) async throws -> Result {
        let peerLoop = peerGroup.next()
        let bridgeLoop = bridgeGroup.next()
        let memoryBefore = residentBytes()
        let driver = try await peerLoop.submit { NIOLoopBound(SIPPeerDriver(), eventLoop: peerLoop) }.get()
        let calls = try await openCalls(count, peerLoop: peerLoop, driver: driver)
        try await Task.sleep(for: .seconds(1.5))  // connect, fill jitter buffers
        try await waitUntilFlowing {
            let now = try await snapshot(calls, bridgeLoop: bridgeLoop)
            return now.userReceived > 0 && now.sipReceived > 0
        }
        let first = try await snapshot(calls, bridgeLoop: bridgeLoop)
        try await startCallgrindWindow(bridgeLoop: bridgeLoop)
        try await Task.sleep(for: .milliseconds(Int(window * 1000)))
        try await endCallgrindWindow(bridgeLoop: bridgeLoop)
        let second = try await snapshot(calls, bridgeLoop: bridgeLoop)
        let memory = Double(residentBytes() - memoryBefore) / Double(count) / 1024
        try await peerLoop.submit { driver.value.stop() }.get()
        await close(calls)
        var result = Self.evaluate(first, second, calls: count, memory: memory)
        result.packetsTotal = second.userReceived + second.sipReceived
        result.packetsInWindow = result.packetsTotal - first.userReceived - first.sipReceived
        result.opusFramesInWindow = second.opusFrames - first.opusFrames
        result.cpuMicrosecondsInWindow = Double(second.cpu - first.cpu) / 1_000
        return result
    }

    /// Memory per call, KB: (bridged call with its peers, a connected pair of bare WebRTC legs, the bridge alone
    /// ≈ call − one WebRTC leg). Both sets stay alive while measured, so freed memory is not reused.
    func measureMemory(calls count: Int) async throws -> (call: Double, legPair: Double, bridge: Double) {
        let peerLoop = peerGroup.next()
        let start = residentBytes()
        var pairs: [(WebRTCLeg, WebRTCLeg)] = []
        for _ in 0..<count {
            let gateway = try await openLeg(.gateway, group: bridgeGroup)
            let user = try await openLeg(.iceLite, group: peerGroup)
            let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
            let answer = try WebRTCSDP.answer(toOffer: offer, local: gateway.localParameters(setup: .active, sessionID: 2))
            gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
            user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
            pairs.append((gateway, user))
        }
        try await Task.sleep(for: .seconds(1.5))
        let afterPairs = residentBytes()
        let driver = try await peerLoop.submit { NIOLoopBound(SIPPeerDriver(), eventLoop: peerLoop) }.get()
        let calls = try await openCalls(count, peerLoop: peerLoop, driver: driver)
        try await Task.sleep(for: .seconds(1.5))
        let afterCalls = residentBytes()
        try await peerLoop.submit { driver.value.stop() }.get()
        await close(calls)
        for (gateway, user) in pairs {
            await gateway.close()
            await user.close()
        }
        let pair = Double(afterPairs - start) / Double(count) / 1024
        let call = Double(afterCalls - afterPairs) / Double(count) / 1024
        return (call, pair, call - pair / 2)
    }

    private func openLeg(_ mode: WebRTCLegConfiguration.Mode, group: any EventLoopGroup) async throws -> WebRTCLeg {
        var configuration = WebRTCLegConfiguration(mode: mode, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"])
        configuration.sampleRate = 8_000
        let payload = userPayload
        return try await WebRTCLeg.open(configuration: configuration, allocator: allocator, group: group, logger: logger) {
            BenchUserPort(payload: payload)
        }
    }

    private func openCalls(_ count: Int, peerLoop: any EventLoop, driver: NIOLoopBound<SIPPeerDriver>) async throws -> [Call] {
        var calls: [Call] = []
        for batch in stride(from: 0, to: count, by: 50) {
            try await withThrowingTaskGroup(of: Call.self) { group in
                for _ in batch..<min(count, batch + 50) { group.addTask { try await openCall(peerLoop: peerLoop, driver: driver) } }
                for try await call in group { calls.append(call) }
            }
        }
        try await peerLoop.submit { driver.value.start(on: peerLoop) }.get()
        return calls
    }

    func close(_ calls: [Call]) async {
        for batch in stride(from: 0, to: calls.count, by: 100) {
            await withTaskGroup(of: Void.self) { group in
                for call in calls[batch..<min(calls.count, batch + 100)] {
                    group.addTask {
                        await call.bridge.close()
                        await call.user.close()
                        try? await call.peerChannel.close()
                    }
                }
            }
        }
    }

    func openCall(peerLoop: any EventLoop, driver: NIOLoopBound<SIPPeerDriver>) async throws -> Call {
        var webRTC = WebRTCLegConfiguration(mode: .gateway, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"], sampleRate: sampleRate)
        webRTC.opusComplexity = complexity
        if whatsAppG711 { webRTC.audioCodecs = [.pcmu, .opus] }
        let configuration = MediaBridgeConfiguration(webRTC: webRTC, sipBindHost: "127.0.0.1", label: "bench")
        let bridge = try await MediaBridge.open(configuration: configuration, allocator: allocator, group: bridgeGroup, logger: logger)
        var userConfiguration = WebRTCLegConfiguration(mode: .iceLite, bindHost: "127.0.0.1", candidateAddresses: ["127.0.0.1"])
        userConfiguration.sampleRate = 8_000
        if whatsAppG711 { userConfiguration.audioCodecs = [.pcmu, .opus] }
        let payload = userPayload
        let user = try await WebRTCLeg.open(configuration: userConfiguration, allocator: allocator, group: peerLoop, logger: logger) {
            BenchUserPort(payload: payload)
        }
        let (sipPayload, passThrough) = (self.sipPayload, self.passThrough)
        let peer = try await peerLoop.submit {
            NIOLoopBound(SIPPeer(payloadType: passThrough ? 111 : 0, payload: sipPayload, ticks: passThrough ? 960 : 160), eventLoop: peerLoop)
        }.get()
        let channel = try await DatagramBootstrap(group: peerLoop)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(peer.value) } }
            .bind(host: "127.0.0.1", port: 0).get()
        let sipPort = bridge.sipPort
        try await peerLoop.submit {
            peer.value.target = try SocketAddress(ipAddress: "127.0.0.1", port: sipPort)
            driver.value.peers.append(peer.value)
        }.get()
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: bridge.webrtc.localParameters(setup: .active, sessionID: 2))
        bridge.webrtc.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        bridge.setSIPLeg(SIPLegParameters(codec: passThrough ? .opus(payloadType: 111) : .pcmu, remoteAddress: "127.0.0.1",
                                          remotePort: channel.localAddress?.port ?? 0))
        return Call(bridge: bridge, user: user, peer: peer, peerChannel: channel)
    }

    struct Snapshot {
        var userReceived = 0, userLost = 0, sipReceived = 0, sipLost = 0, opusFrames = 0
        var histogram: [Int] = []
        var peerDelays = [Int](repeating: 0, count: PeerCounters.delayBuckets)
        var cpu: UInt64 = 0
        var time = ContinuousClock.now
    }

    func snapshot(_ calls: [Call], bridgeLoop: any EventLoop) async throws -> Snapshot {
        var result = Snapshot()
        result.cpu = try await bridgeLoop.submit { threadCPUNanoseconds() }.get()
        result.time = .now
        result.histogram = [Int](repeating: 0, count: 2_001)
        for call in calls {
            let (received, lost, userDelays) = try await call.user.withAudioPort { port -> (Int, Int, [Int]) in
                let counters = (port as? BenchUserPort)?.counters
                return (counters?.received ?? 0, counters?.lost ?? 0, counters?.delayHistogram ?? [])
            }
            result.userReceived += received
            result.userLost += lost
            let peer = call.peer
            let sip = try await call.peerChannel.eventLoop.submit {
                (peer.value.counters.received, peer.value.counters.lost, peer.value.counters.delayHistogram)
            }.get()
            result.sipReceived += sip.0
            result.sipLost += sip.1
            for (index, value) in userDelays.enumerated() { result.peerDelays[index] += value }
            for (index, value) in sip.2.enumerated() { result.peerDelays[index] += value }
            let stats = await call.bridge.statistics()
            result.opusFrames += stats.opusEncodedFrames + stats.opusDecodedFrames
            for (index, value) in stats.latencyHistogram.enumerated() where index < result.histogram.count {
                result.histogram[index] += value
            }
        }
        return result
    }

    static func evaluate(_ a: Snapshot, _ b: Snapshot, calls: Int, memory: Double) -> Result {
        let seconds = Double((b.time - a.time).components.seconds) + Double((b.time - a.time).components.attoseconds) / 1e18
        let expected = Double(calls) * 50 * seconds
        let received = Double(b.userReceived - a.userReceived + b.sipReceived - a.sipReceived)
        let lost = Double(b.userLost - a.userLost + b.sipLost - a.sipLost)
        let delivered = min(Double(b.userReceived - a.userReceived), Double(b.sipReceived - a.sipReceived)) / expected
        let histogram = zip(b.histogram, a.histogram).map { $0 - $1 }
        let frames = histogram.reduce(0, +)
        let late = frames > 0 ? Double(histogram.last ?? 0) / Double(frames) : 0
        let cpu = Double(b.cpu > a.cpu ? b.cpu - a.cpu : 0) / 1_000 / seconds / Double(calls)  // rtpengine: a thread that ended takes its time along
        var result = Result(calls: calls, cpuMicrosecondsPerCallSecond: cpu,
                            p50: LatencyStats.percentile(0.5, histogram), p99: LatencyStats.percentile(0.99, histogram),
                            lossFraction: received + lost > 0 ? lost / (received + lost) : 1, lateFraction: late,
                            deliveredRatio: delivered, memoryPerCallKB: memory)
        (result.peerDelayP99, result.peerLateFraction) = LatencyStats.peerDelay(zip(b.peerDelays, a.peerDelays).map { $0 - $1 })
        return result
    }
}
