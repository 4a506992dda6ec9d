import Codecs
import NIOCore
import RTP
import SRTP

/// The per-packet state of the media path: reused buffers, RTP counters and
/// DTMF bookkeeping. Sized once; nothing here grows per packet.
struct MediaState {
    var ssrc: UInt32 = 0
    var sequence = UInt16.random(in: 0...UInt16.max)
    var timestamp = UInt32.random(in: 0...UInt32.max)
    var opusPayloadType: UInt8 = 111
    var eventPayloadType: UInt8?
    var pcm: [Int16] = []
    var decoded: [Int16] = []
    var packet: [UInt8] = []
    var inbound: [UInt8] = []
    var lastReceivedSequence: UInt16?
    var lastEventTimestamp: UInt32?
    var dtmfQueue: [(digit: Character, durationMs: Int)] = []
    var currentEvent: (code: UInt8, startTimestamp: UInt32, elapsed: Int, total: Int, endsSent: Int)?

    init() {}

    init(ssrc: UInt32, samplesPerFrame: Int) {
        self.ssrc = ssrc
        pcm = [Int16](repeating: 0, count: samplesPerFrame)
        decoded = [Int16](repeating: 0, count: samplesPerFrame * 6)
        packet = [UInt8](repeating: 0, count: 1500 + SRTPSession.maximumTrailerLength)
        inbound = [UInt8](repeating: 0, count: 1500 + SRTPSession.maximumTrailerLength)
    }
}

extension WebRTCLegEngine {
    /// RTP clock ticks per 20 ms frame at Opus's 48 kHz clock (RFC 7587 §4.1).
    static let ticksPerFrame: UInt32 = 960

    // MARK: - Sending

    func startMedia() {
        nextFrameAt = .now()
        scheduleNextFrame()
    }

    private func scheduleNextFrame() {
        guard !finished, let loop = channel?.eventLoop else { return }
        mediaTimer = loop.assumeIsolated().scheduleTask(deadline: nextFrameAt) { [weak self] in self?.sendFrame() }
    }

    private func sendFrame() {
        guard !finished, let srtp, let address = remoteAddress, let encoder else { return }
        let length: Int
        if let eventLength = nextEventPacket() {
            length = eventLength
        } else {
            length = encodeAudioPacket(encoder)
        }
        if length > 0 {
            let sent = media.packet.withUnsafeMutableBytes { buffer in
                (try? srtp.protectRTP(buffer, length: length)) ?? 0
            }
            if sent > 0 {
                writePacket(length: sent, to: address)
                statistics.packetsSent += 1
            }
        }
        media.timestamp &+= Self.ticksPerFrame
        nextFrameAt = nextFrameAt + .milliseconds(20)
        let now = NIODeadline.now()
        if now - nextFrameAt > .milliseconds(100) { nextFrameAt = now }  // fell far behind: resync
        scheduleNextFrame()
    }

    private func encodeAudioPacket(_ encoder: OpusEncoder) -> Int {
        media.pcm.withUnsafeMutableBufferPointer { audio.nextFrame($0) }
        let header = RTPHeader(payloadType: media.opusPayloadType, sequenceNumber: media.sequence,
                               timestamp: media.timestamp, ssrc: media.ssrc)
        let bytes: Int = media.pcm.withUnsafeBufferPointer { pcm in
            media.packet.withUnsafeMutableBytes { packet in
                header.write(to: packet)
                let body = UnsafeMutableRawBufferPointer(rebasing: packet[RTPHeader.size..<1400])
                return (try? encoder.encode(pcm: pcm, into: body)) ?? 0
            }
        }
        guard bytes > 0 else { return 0 }
        media.sequence &+= 1
        return RTPHeader.size + bytes
    }

    private func writePacket(length: Int, to address: SocketAddress) {
        guard let channel else { return }
        var buffer = channel.allocator.buffer(capacity: length)
        _ = media.packet.withUnsafeBytes { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
    }

    // MARK: - Receiving

    func receiveSRTP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let srtp else { return }
        let count = envelope.data.readableBytes
        guard count <= 1500, count >= RTPHeader.size else { return }
        media.inbound.withUnsafeMutableBytes { target in
            envelope.data.withUnsafeReadableBytes { target.copyMemory(from: $0) }
        }
        let secondByte = media.inbound[1]
        if secondByte >= 192 && secondByte <= 223 {  // RTCP by packet type (RFC 5761 §4)
            let ok = media.inbound.withUnsafeMutableBytes { (try? srtp.unprotectRTCP($0, length: count)) != nil }
            if ok { statistics.rtcpReceived += 1 } else { statistics.srtpFailures += 1 }
            return
        }
        let length = media.inbound.withUnsafeMutableBytes { (try? srtp.unprotectRTP($0, length: count)) ?? -1 }
        guard length > 0 else {
            statistics.srtpFailures += 1
            return
        }
        media.inbound.withUnsafeBytes { bytes in
            let packet = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
            guard let (header, payload) = RTPHeader.parse(packet) else { return }
            let body = UnsafeRawBufferPointer(rebasing: packet[payload])
            if header.payloadType == media.opusPayloadType {
                receiveOpus(header, body)
            } else if header.payloadType == media.eventPayloadType {
                receiveEvent(header, body)
            }
        }
    }

    private func receiveOpus(_ header: RTPHeader, _ payload: UnsafeRawBufferPointer) {
        guard let decoder else { return }
        if let last = media.lastReceivedSequence {
            let gap = Int(header.sequenceNumber &- last)
            guard gap > 0 && gap < 0x8000 else { return }  // late or duplicate
            if gap > 1 && gap <= 6 { conceal(lost: gap - 1, next: payload, decoder: decoder) }
        }
        media.lastReceivedSequence = header.sequenceNumber
        let samples = media.decoded.withUnsafeMutableBufferPointer { (try? decoder.decode(packet: payload, into: $0)) ?? 0 }
        guard samples > 0 else { return }
        statistics.packetsReceived += 1
        media.decoded.withUnsafeBufferPointer { audio.receivedFrame(UnsafeBufferPointer(rebasing: $0[0..<samples])) }
        if !mediaReported {
            mediaReported = true
            setup.emit(.mediaFlowing)
        }
    }

    /// Fills lost frames: the last one from the next packet's in-band FEC, the
    /// others by Opus PLC (RFC 6716 §4.4).
    private func conceal(lost: Int, next payload: UnsafeRawBufferPointer, decoder: OpusDecoder) {
        statistics.packetsLost += lost
        for index in 0..<lost {
            let samples: Int = media.decoded.withUnsafeMutableBufferPointer { out in
                let frame = UnsafeMutableBufferPointer(rebasing: out[0..<setup.configuration.samplesPerFrame])
                if index == lost - 1, let recovered = try? decoder.decodeFEC(nextPacket: payload, into: frame), recovered > 0 {
                    statistics.recoveredByFEC += 1
                    return recovered
                }
                return (try? decoder.concealLoss(into: frame)) ?? 0
            }
            if samples > 0 {
                media.decoded.withUnsafeBufferPointer { audio.receivedFrame(UnsafeBufferPointer(rebasing: $0[0..<samples])) }
            }
        }
    }
}
