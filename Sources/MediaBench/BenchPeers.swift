import Media
import NIOCore
import NIOPosix
import RTP

/// Packets a synthetic peer received: count and sequence gaps (loss).
final class PeerCounters {
    var received = 0
    var lost = 0
    private var last: UInt16?

    func record(_ sequence: UInt16) {
        if let last {
            let gap = Int(sequence &- last)
            guard gap > 0, gap < 0x8000 else { return }
            if gap > 1 { lost += gap - 1 }
        }
        last = sequence
        received += 1
    }
}

/// The simulated WhatsApp user of a bench call: sends one precomputed Opus
/// payload every 20 ms (SRTP by its `WebRTCLeg`) and counts what arrives,
/// decoding nothing, so the load generator stays much cheaper than the bridge.
final class BenchUserPort: EncodedAudioPort {
    let payload: [UInt8]
    let counters = PeerCounters()

    init(payload: [UInt8]) {
        self.payload = payload
    }

    var passesOpusThrough: Bool { true }

    func nextOpusPayload(_ out: UnsafeMutableRawBufferPointer) -> Int {
        payload.withUnsafeBytes { out.copyMemory(from: $0) }
        return payload.count
    }

    func receivedOpusPayload(_ payload: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32) {
        counters.record(sequenceNumber)
    }

    /// G.711 on the leg: a constant frame out; frames in are counted (loss shows as missing deliveries).
    func nextFrame(_ frame: UnsafeMutableBufferPointer<Int16>) {}
    func receivedFrame(_ frame: UnsafeBufferPointer<Int16>) { counters.received += 1 }
}

/// The SIP phone of a bench call: one UDP socket; sends a precomputed payload
/// (PCMU tone or Opus) when the driver ticks, counts what comes back.
final class SIPPeer: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let counters = PeerCounters()
    let payloadType: UInt8
    let payload: [UInt8]
    let ticks: UInt32
    var channel: (any Channel)?
    var target: SocketAddress?
    private var sequence = UInt16.random(in: 0...UInt16.max)
    private var timestamp = UInt32.random(in: 0...UInt32.max)
    private let ssrc = UInt32.random(in: 1...UInt32.max)

    init(payloadType: UInt8, payload: [UInt8], ticks: UInt32) {
        self.payloadType = payloadType
        self.payload = payload
        self.ticks = ticks
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
    }

    func send() {
        guard let channel, let target else { return }
        var buffer = channel.allocator.buffer(capacity: RTPHeader.size + payload.count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: RTPHeader.size) { raw in
            RTPHeader(payloadType: payloadType, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc).write(to: raw)
            return RTPHeader.size
        }
        buffer.writeBytes(payload)
        sequence &+= 1
        timestamp &+= ticks
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let sequence = envelope.data.getInteger(at: envelope.data.readerIndex + 2, as: UInt16.self) else { return }
        counters.record(sequence)
    }
}

/// Ticks every SIP peer of the run every 20 ms on the generator's loop, on
/// absolute deadlines so the pace does not drift with load.
final class SIPPeerDriver {
    var peers: [SIPPeer] = []
    private var next = NIODeadline.now()
    private var task: Scheduled<Void>?
    private var running = false

    func start(on loop: any EventLoop) {
        running = true
        next = .now() + .milliseconds(20)
        schedule(on: loop)
    }

    func stop() {
        running = false
        task?.cancel()
    }

    private func schedule(on loop: any EventLoop) {
        guard running else { return }
        task = loop.assumeIsolated().scheduleTask(deadline: next) { [weak self] in
            guard let self else { return }
            for peer in self.peers { peer.send() }
            self.next = self.next + .milliseconds(20)
            if NIODeadline.now() - self.next > .milliseconds(200) { self.next = .now() }
            self.schedule(on: loop)
        }
    }
}
