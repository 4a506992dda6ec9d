import Media
import NIOCore
import NIOPosix
import STUN
import Synchronization
import TestSupport
import Testing

/// The browser leg follows the browser's latest authentic nomination: media moves to
/// the new address at once, SRTP from the old one is then dropped, and a nomination
/// without the right integrity moves nothing.
@Suite(.serialized) struct BrowserRenominationTests {
    /// Counts SRTP datagrams reaching a plain UDP socket (the browser's "new network").
    final class SRTPCounter: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let packets = Atomic<Int>(0)
        let changes = ChangeSignal()

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            if let first = envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt8.self), (128...191).contains(first) {
                packets.add(1, ordering: .relaxed)
            }
            changes.notify()
        }
    }

    static func check(from leg: WebRTCLeg, to browser: WebRTCLeg, password: String, id: UInt32) throws -> [UInt8] {
        let message = STUNMessage(type: .bindingRequest, transactionID: STUNTransactionID(high: 9, low: id), attributes: [
            .username("\(browser.credentials.ufrag):\(leg.credentials.ufrag)"), .priority(0x6E00_00FF), .iceControlling(77), .useCandidate,
        ])
        return try message.encode(integrityKey: STUNIntegrityKey(shortTermPassword: password), fingerprint: true)
    }

    @Test func aNewAuthenticatedNominationMovesMediaAndTheOldSourceIsDropped() async throws {
        let call = try await BrowserBridgeTests.open()
        #expect(await BrowserBridgeTests.hears(call.chrome, 600, changes: call.chromeChanges))
        let counter = SRTPCounter()
        let moved = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(counter) } }
            .bind(host: "127.0.0.1", port: 0).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: call.browserLeg.port)
        func send(_ bytes: [UInt8]) {
            moved.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: moved.allocator.buffer(bytes: bytes)), promise: nil)
        }

        // A forged nomination (wrong password) moves nothing: the browser keeps hearing WhatsApp.
        send(try Self.check(from: call.chrome, to: call.browserLeg, password: "not-the-browser-legs-password", id: 1))
        let chromeBefore = await call.chrome.statistics().packetsReceived
        #expect(await call.chromeChanges.wait(timeout: .seconds(20)) {
            await call.chrome.statistics().packetsReceived >= chromeBefore + 25
        })
        #expect(counter.packets.load(ordering: .relaxed) == 0)

        // An authentic one from the new address: WhatsApp's audio follows it.
        send(try Self.check(from: call.chrome, to: call.browserLeg, password: call.browserLeg.credentials.pwd, id: 2))
        #expect(await counter.changes.wait(timeout: .seconds(20)) { counter.packets.load(ordering: .relaxed) >= 25 },
                "media moved to the newly nominated address")
        // The old address is no longer the selected pair: its SRTP is dropped.
        let dropped = await call.browserLeg.statistics().foreignDropped
        #expect(await counter.changes.wait(timeout: .seconds(20)) {
            await call.browserLeg.statistics().foreignDropped >= dropped + 25
        }, "SRTP from the unselected source is dropped")
        try await moved.close()
        await call.close()
    }
}
