import Logging
import Media
import NIOCore
import NIOPosix
import SDP
import Synchronization
import TestSupport
import Testing

/// The WebRTC leg takes DTLS, SRTP and SRTCP only from the ICE-selected (or
/// ICE-validated) peer: a stranger spraying fatal DTLS alerts, broken
/// handshakes and forged SRTP at both legs during setup changes nothing.
@Suite(.serialized) struct WebRTCLegSourceFilterTests {
    static func alert(_ sequence: UInt64) -> [UInt8] {
        [21, 0xFE, 0xFD, 0, 0] + (0..<6).map { UInt8(truncatingIfNeeded: sequence >> (8 * (5 - $0))) } + [0, 2, 2, 40]
    }

    static let deadline: Duration = .seconds(30)

    static func garbage(_ sequence: UInt64) -> [UInt8] {
        [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: sequence), 0, 16] + [UInt8](repeating: 0xA5, count: 16)
    }

    @Test func aDTLSAlertSprayDuringSetupDoesNotFailTheLeg() async throws {
        let harness = WebRTCLegTests()
        let ports = WebRTCLegTests.allocator()
        let gatewayHeard = ChangeSignal(), sprayed = ChangeSignal()
        // The spray itself keeps a core busy, and the machine may be running a whole test
        // suite: the setup deadline is generous, since what fails the leg here must be
        // the attacker's packets, not the handshake's CPU time.
        let user = try await harness.open(.iceLite, rate: 16000, tone: 600, allocator: ports, setupTimeout: Self.deadline)
        let gateway = try await harness.open(.gateway, rate: 8000, tone: 1000, allocator: ports, heard: gatewayHeard,
                                             setupTimeout: Self.deadline)
        let rounds = SprayRounds()
        let attacker = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let targets = try [gateway.port, user.port].map { try SocketAddress(ipAddress: "127.0.0.1", port: $0) }
        let spray = Task {
            var sequence: UInt64 = 0
            while !Task.isCancelled {
                for target in targets {
                    for bytes in [Self.alert(sequence), Self.garbage(sequence), [0x80, 111] + [UInt8](repeating: 0, count: 30)] {
                        let buffer = attacker.allocator.buffer(bytes: bytes)
                        attacker.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer), promise: nil)
                    }
                }
                sequence += 1
                rounds.count.add(1, ordering: .relaxed)
                sprayed.notify()
                try? await Task.sleep(for: .milliseconds(2))  // the attacker's pace (traffic, not a wait)
            }
        }
        let offer = try WebRTCSDP.metaStyleOffer(local: user.localParameters(setup: .actpass, sessionID: 1))
        let answer = try WebRTCSDP.answer(toOffer: offer, local: gateway.localParameters(setup: .active, sessionID: 2))
        #expect(await sprayed.wait { rounds.count.load(ordering: .relaxed) >= 10 })  // the spray is already hitting both ports
        gateway.start(remote: try WebRTCRemoteParameters(offer), ourSetup: .active)
        user.start(remote: try WebRTCRemoteParameters(answer), ourSetup: .actpass)
        let events = await harness.waitFor(gateway, .mediaFlowing, seconds: 30)
        #expect(await gatewayHeard.wait(timeout: Self.deadline) {  // 300 ms of call under fire
            ((try? await harness.recorded(gateway)) ?? []).count >= 8000 * 3 / 10
        })
        spray.cancel()
        _ = await spray.value
        try await attacker.close()
        #expect(events.contains(.mediaFlowing), "gateway events: \(events)")
        #expect(!events.contains { if case .failed = $0 { true } else { false } })
        let gatewayStats = await gateway.statistics()
        let userStats = await user.statistics()
        #expect(gatewayStats.foreignDropped > 10 && userStats.foreignDropped > 10)
        #expect(gatewayStats.srtpFailures == 0 && userStats.srtpFailures == 0)
        await gateway.close()
        await user.close()
    }
}

/// Rounds the attacker has sent.
private final class SprayRounds: Sendable {
    let count = Atomic<Int>(0)
}
