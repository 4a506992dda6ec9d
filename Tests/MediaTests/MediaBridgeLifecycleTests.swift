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
        #expect(await call.endpoint.wait { $0.packets >= 20 }, "audio flows to the SIP side before the hold")
        var parameters = SIPLegParameters(codec: .pcmu, telephoneEventPayloadType: 101, remoteAddress: "127.0.0.1",
                                          remotePort: call.endpoint.port, direction: .inactive)
        call.bridge.setSIPLeg(parameters)
        await call.endpoint.stopSending()
        // The statistics are read on the bridge's loop, after the hold: what it sent to
        // the SIP side is counted there, so nothing in flight on a busy machine is missed.
        let sentAtHold = await call.bridge.statistics().sip.packetsSent
        let userPacketsAtHold = await call.user.statistics().packetsReceived
        #expect(await call.userChanges.wait(timeout: BridgedCall.mediaDeadline) {
            await call.user.statistics().packetsReceived >= userPacketsAtHold + 45
        }, "WhatsApp keeps receiving (silence) while held")
        #expect(await call.bridge.statistics().sip.packetsSent == sentAtHold, "nothing to the SIP side while held")
        let packetsAtHold = await call.endpoint.received().packets
        #expect(packetsAtHold <= sentAtHold)
        parameters.direction = .sendrecv
        call.bridge.setSIPLeg(parameters)
        await call.endpoint.resumeSending()
        #expect(await call.endpoint.wait(timeout: BridgedCall.mediaDeadline) { $0.packets > packetsAtHold + 40 })
        let heard = ToneAnalysis.dominantFrequency(await call.userToneWindow(frequency: 1000), sampleRate: BridgedCall.userRate)
        #expect(abs(heard.frequency - 1000) <= 10 && heard.rms > 2000, "after resume the user hears \(heard)")
        #expect(!call.bridgeEvents.all.contains { if case .rtpTimeout = $0 { true } else { false } })
        await call.close()
    }

    @Test func rtcpOnTheSIPLegMeasuresTheRoundTrip() async throws {
        let clock = AdvancingClock()
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: BridgedCall.configuration(clock: clock.media),
                                              rtcpMux: true)
        await waitForMedia(call)
        // The round trip is measured in real time, which a loaded machine stretches: it
        // is bounded by the time the whole exchange took here (the arithmetic itself
        // is checked exactly in RTPTests).
        let exchange = ContinuousClock.now
        clock.advance(by: .seconds(1))  // the first report is due a second after the bridge opens
        #expect(await call.endpoint.wait(timeout: BridgedCall.mediaDeadline) { $0.senderReports >= 1 })
        // The endpoint's receiver report comes back on the same socket; each packet it hears re-checks.
        #expect(await call.endpoint.changes.wait(timeout: BridgedCall.mediaDeadline) {
            await call.bridge.statistics().sip.roundTripMs != nil
        })
        let elapsed = ContinuousClock.now - exchange
        let boundMs = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let stats = await call.bridge.statistics()
        let reportsHeard = await call.endpoint.received().senderReports
        #expect(stats.rtcpSent >= 1 && reportsHeard >= 1)
        #expect(stats.sip.roundTripMs.map { $0 >= 0 && $0 <= boundMs + 1 } == true,
                "RTT \(String(describing: stats.sip.roundTripMs)) over an exchange of \(boundMs) ms")
        await call.close()
    }

    @Test func rtpTimeoutIsReportedWithAReason() async throws {
        let clock = AdvancingClock()
        let configuration = BridgedCall.configuration(timeout: .seconds(10), clock: clock.media)
        let call = try await BridgedCall.open(.init(codec: .pcmu), configuration: configuration, startEndpoint: false)
        await waitForMedia(call)  // the WhatsApp leg is up, so skipping time cannot hit its setup deadline
        #expect(!call.bridgeEvents.all.contains { if case .rtpTimeout = $0 { true } else { false } })
        clock.advance(by: .seconds(11))  // past the timeout: the next inactivity check (every 250 ms) reports it
        let fired = await call.bridgeEvents.wait(seconds: 2) { events in
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
                                              userPort: { OpusPayloadPort(sending: fromUser, changes: $0) })
        await waitForMedia(call)
        let silence: [UInt8] = [0xF8, 0xFF, 0xFE]
        #expect(await call.userChanges.wait {
            ((try? await call.user.withAudioPort { ($0 as? OpusPayloadPort)?.received ?? [] }) ?? []).filter { $0 != silence }.count > 30
        })
        #expect(await call.endpoint.wait { $0.payloads.count > 30 })
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
        #expect(await call.endpoint.wait { $0.packets >= 50 }, "a second of the call recorded")
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
