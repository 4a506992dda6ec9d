import Foundation
import Logging
import Media
import NIOPosix
import Testing

/// Hold and resume, the inactivity timeout, Opus pass-through, recording,
/// and port accounting over many calls.
@Suite(.serialized) struct MediaBridgeLifecycleTests {
    func waitForMedia(_ call: BridgedCall) async {
        #expect(await call.bridgeEvents.wait { $0.contains(.webrtcMediaFlowing) })
    }

    @Test func holdAndResumeLeaveTheWhatsAppLegAlone() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu))
        await waitForMedia(call)
        try await Task.sleep(for: .seconds(0.6))
        var parameters = SIPLegParameters(codec: .pcmu, telephoneEventPayloadType: 101, remoteAddress: "127.0.0.1",
                                          remotePort: call.endpoint.port, direction: .inactive)
        call.bridge.setSIPLeg(parameters)
        await call.endpoint.stopSending()
        try await Task.sleep(for: .milliseconds(200))
        let packetsAtHold = await call.endpoint.received().packets
        let userPacketsAtHold = await call.user.statistics().packetsReceived
        try await Task.sleep(for: .seconds(1))
        #expect(await call.endpoint.received().packets == packetsAtHold, "nothing to the SIP side while held")
        let userPacketsHeld = await call.user.statistics().packetsReceived
        #expect(userPacketsHeld - userPacketsAtHold >= 40, "WhatsApp keeps receiving (silence) while held")
        parameters.direction = .sendrecv
        call.bridge.setSIPLeg(parameters)
        await call.endpoint.resumeSending()
        try await Task.sleep(for: .seconds(1.2))
        #expect(await call.endpoint.received().packets > packetsAtHold + 40)
        let heard = ToneAnalysis.dominantFrequency(try await call.userHeard(), sampleRate: BridgedCall.userRate)
        #expect(abs(heard.frequency - 1000) <= 10 && heard.rms > 2000, "after resume the user hears \(heard)")
        #expect(!call.bridgeEvents.all.contains { if case .rtpTimeout = $0 { true } else { false } })
        await call.close()
    }

    @Test func rtcpOnTheSIPLegMeasuresTheRoundTrip() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu), rtcpMux: true)
        await waitForMedia(call)
        try await Task.sleep(for: .seconds(1.3))  // the first report goes out a second after the bridge opens
        let stats = await call.bridge.statistics()
        let reportsHeard = await call.endpoint.received().senderReports
        #expect(stats.rtcpSent >= 1 && reportsHeard >= 1)
        #expect(stats.sip.roundTripMs.map { $0 >= 0 && $0 < 50 } == true, "RTT \(String(describing: stats.sip.roundTripMs))")
        await call.close()
    }

    @Test func rtpTimeoutIsReportedWithAReason() async throws {
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: BridgedCall.configuration(timeout: .seconds(1)),
                                              startEndpoint: false)
        let fired = await call.bridgeEvents.wait(seconds: 4) { events in
            events.contains { if case .rtpTimeout(.sip, _) = $0 { true } else { false } }
        }
        #expect(fired, "\(call.bridgeEvents.all)")
        let reason = call.bridgeEvents.all.compactMap { if case let .rtpTimeout(.sip, reason) = $0 { reason } else { nil } }.first
        #expect(reason?.contains("no RTP") == true, "\(reason ?? "")")
        await call.close()
    }

    @Test func opusPassesThroughUntouched() async throws {
        let fromSIP = OpusPayloadPort.tonePayloads(frequency: 1000, count: 50)
        let fromUser = OpusPayloadPort.tonePayloads(frequency: 600, count: 50)
        let call = try await BridgedCall.open(.init(codec: .opus(payloadType: 107), opusPayloads: fromSIP),
                                              userPort: { OpusPayloadPort(sending: fromUser) })
        await waitForMedia(call)
        try await Task.sleep(for: .seconds(1.2))
        let userGot = try await call.user.withAudioPort { ($0 as? OpusPayloadPort)?.received ?? [] }
        let real = userGot.filter { $0 != [0xF8, 0xFF, 0xFE] }
        #expect(real.count > 30 && real.allSatisfy { fromSIP.contains($0) }, "user got \(real.count) payloads")
        let sipGot = await call.endpoint.received()
        #expect(sipGot.payloads.count > 30 && sipGot.payloads.allSatisfy { fromUser.contains($0) })
        #expect(abs(ToneAnalysis.dominantFrequency(sipGot.pcm, sampleRate: 48_000).frequency - 600) <= 10)
        let stats = await call.bridge.statistics()
        #expect(stats.passThrough && stats.sip.codec == "opus")
        await call.close()
    }

    @Test func recordingWritesAStereoWAV() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wagate-rec-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: BridgedCall.configuration(recording: directory.path))
        await waitForMedia(call)
        try await Task.sleep(for: .seconds(1))
        await call.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.count == 1)
        let data = try Data(contentsOf: directory.appendingPathComponent(files[0]))
        #expect(data.count > 44 + 8_000 * 4 / 2 && data.prefix(4) == Data("RIFF".utf8))
        #expect(data[22] == 2, "two channels")
        let dataSize = data[40..<44].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(dataSize == data.count - 44)
    }

    @Test func portsAreAllReleasedAfterAThousandCalls() async throws {
        let ports = BridgedCall.allocator(size: 40)
        for _ in 0..<1_000 {
            let bridge = try await MediaBridge.open(configuration: BridgedCall.configuration(), allocator: ports,
                                                    group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
            await bridge.close()
        }
        #expect(ports.allocatedCount == 0)
    }

    @Test func exhaustedRangeThrowsAndLeaksNothing() async throws {
        let ports = BridgedCall.allocator(size: 2)  // two even ports: one bridge
        let first = try await MediaBridge.open(configuration: BridgedCall.configuration(), allocator: ports,
                                               group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
        await #expect(throws: MediaError.portsExhausted) {
            _ = try await MediaBridge.open(configuration: BridgedCall.configuration(), allocator: ports,
                                           group: MultiThreadedEventLoopGroup.singleton, logger: BridgedCall.logger)
        }
        #expect(ports.allocatedCount == 2)
        await first.close()
        #expect(ports.allocatedCount == 0)
    }
}
