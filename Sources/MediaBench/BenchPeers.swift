import Foundation
import Media
import NIOCore
import NIOPosix
import RTP
import SRTP

/// Packets a synthetic peer received: count, sequence gaps (loss), and the delay each packet added. Arrival time
/// minus sequence × 20 ms is constant for a stream that is neither queued nor paced; a packet's added delay is its
/// excess over the smallest such value of the last 1–2 s of the stream (queueing in the system under test and in
/// the sockets), in 1 ms buckets. The reference slides so that one early burst (a jitter buffer released at once)
/// or one pause of the generator does not mark every later packet late. Measured alike at wagate's and
/// rtpengine's peers.
final class PeerCounters {
    /// Buckets of `delayHistogram`: 1 ms each, the last one holding everything ≥ 200 ms.
    static let delayBuckets = 201
    var received = 0
    var lost = 0
    var delayHistogram = [Int](repeating: 0, count: PeerCounters.delayBuckets)
    private var last: UInt16?
    private var extended: Int64 = 0
    private var smallestOffset = Int64.max
    private var previousSmallestOffset = Int64.max
    private var periodPackets = 0

    func record(_ sequence: UInt16) {
        if let last {
            let gap = Int(sequence &- last)
            guard gap > 0, gap < 0x8000 else { return }
            if gap > 1 { lost += gap - 1 }
            extended += Int64(gap)
        }
        last = sequence
        received += 1
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let offset = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - extended * 20_000_000
        smallestOffset = min(smallestOffset, offset)
        let reference = min(smallestOffset, previousSmallestOffset)
        delayHistogram[Int(min((offset - reference) / 1_000_000, Int64(PeerCounters.delayBuckets - 1)))] += 1
        periodPackets += 1
        if periodPackets == 50 {
            (previousSmallestOffset, smallestOffset, periodPackets) = (smallestOffset, .max, 0)
        }
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
    /// SDES-keyed SRTP on this peer's packets (the WhatsApp side of an rtpengine call); nil: plain RTP.
    var srtp: SRTPSession?
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
        var buffer = channel.allocator.buffer(capacity: RTPHeader.size + payload.count + SRTPSession.maximumTrailerLength)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: RTPHeader.size) { raw in
            RTPHeader(payloadType: payloadType, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc).write(to: raw)
            return RTPHeader.size
        }
        buffer.writeBytes(payload)
        if let srtp {
            let length = buffer.readableBytes
            buffer.writeRepeatingByte(0, count: srtp.profile.rtpTrailerLength)
            guard let protected = try? buffer.withUnsafeMutableReadableBytes({ try srtp.protectRTP($0, length: length) }) else { return }
            buffer.moveWriterIndex(to: buffer.readerIndex + protected)
        }
        sequence &+= 1
        timestamp &+= ticks
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        // RTCP (payload-type byte 192–223, RFC 5761 §4) carries no RTP sequence number.
        guard let marker = envelope.data.getInteger(at: envelope.data.readerIndex + 1, as: UInt8.self), !(64...95).contains(marker & 0x7f) else { return }
        if let srtp {
            // A packet that does not authenticate is not counted: it shows as a sequence gap (loss).
            guard (try? envelope.data.withUnsafeMutableReadableBytes { try srtp.unprotectRTP($0, length: $0.count) }) != nil else { return }
        }
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
