import Codecs
import NIOCore
import RTP
import SDP
import SRTP

/// The per-packet state of the media path: reused buffers, RTP counters and
/// DTMF bookkeeping. Sized once; nothing here grows per packet.
struct MediaState {
    var ssrc: UInt32 = 0
    var sequence = UInt16.random(in: 0...UInt16.max)
    var timestamp = UInt32.random(in: 0...UInt32.max)
    /// The leg's audio codec and payload type (Opus on 111 unless the peer chose otherwise).
    var audioCodec = AudioCodec.opus
    var audioPayloadType: UInt8 = 111
    /// The RTP clock: 48 kHz for Opus (RFC 7587 §4.1), 8 kHz for G.711.
    var clockRate: Int { audioCodec.rtpClockRate }
    /// RTP clock ticks per 20 ms frame: 960 for Opus, 160 for G.711.
    var ticksPerFrame: UInt32 { UInt32(clockRate / 50) }
    var eventPayloadType: UInt8?
    var lastReceivedSequence: UInt16?
    var lastEventTimestamp: UInt32?
    var dtmfQueue: [(digit: Character, durationMs: Int)] = []
    var currentEvent: (code: UInt8, startTimestamp: UInt32, elapsed: Int, total: Int, endsSent: Int, relayed: Bool)?

    init() {}

    init(ssrc: UInt32) {
        self.ssrc = ssrc
    }

    mutating func useCodec(_ payload: WebRTCAudioPayload) {
        audioCodec = payload.codec
        audioPayloadType = payload.payloadType
    }
}

/// The leg's packet and PCM buffers: allocated once per leg, freed with it,
/// reused for every packet (no copy-on-write, no exclusivity checks per packet).
/// Touched only on the leg's event loop.
final class MediaBuffers {
    static let packetSize = 1500 + SRTPSession.maximumTrailerLength
    let outbound = UnsafeMutableRawBufferPointer.allocate(byteCount: packetSize, alignment: 16)
    let inbound = UnsafeMutableRawBufferPointer.allocate(byteCount: packetSize, alignment: 16)
    let pcm: UnsafeMutableBufferPointer<Int16>
    let decoded: UnsafeMutableBufferPointer<Int16>

    init(samplesPerFrame: Int) {
        pcm = .allocate(capacity: samplesPerFrame)
        pcm.initialize(repeating: 0)
        decoded = .allocate(capacity: samplesPerFrame * 6)
        decoded.initialize(repeating: 0)
    }

    deinit {
        outbound.deallocate()
        inbound.deallocate()
        pcm.deallocate()
        decoded.deallocate()
    }
}

extension WebRTCLegEngine {
    // MARK: - Sending

    func enableSending() {
        sendingEnabled = true
        if srtp != nil { startMedia() }
    }

    func startMedia() {
        guard sendingEnabled, !mediaStarted else { return }
        mediaStarted = true
        nextFrameAt = .now()  // the ticker's (loop) clock: frame pacing, not a call timer
        rtcp.nextReportAt = clock.now() + .seconds(1)
        guard !finished, let loop = channel?.eventLoop else { return }
        let ticker = MediaTicker.current(on: loop)
        ticker.add(self)
        self.ticker = ticker
    }

    /// One frame per tick of the loop's shared 20 ms media clock.
    func tick(due: NIODeadline) {
        nextFrameAt = due
        sendFrame()
    }

    private func sendFrame() {
        guard !finished, let srtp, let address = remoteAddress else { return }
        guard !forwardsOnArrival else {
            sendReportIfDue(now: clock.now())
            return
        }
        let length: Int
        if let eventLength = nextEventPacket() {
            length = eventLength
            encodedPort?.skipFrame()
        } else {
            length = encodeAudioPacket()
        }
        if length > 0 {
            let sent = (try? srtp.protectRTP(buffers.outbound, length: length)) ?? 0
            if sent > 0 {
                writePacket(length: sent, to: address)
                statistics.packetsSent += 1
                rtcp.send.record(payloadSize: length - RTPHeader.size, rtpTimestamp: media.timestamp, at: Self.ntpNow())
                encodedPort?.frameSent(due: nextFrameAt)
            }
        }
        sendReportIfDue(now: clock.now())
        media.timestamp &+= media.ticksPerFrame
    }

    private func encodeAudioPacket() -> Int {
        let header = RTPHeader(payloadType: media.audioPayloadType, sequenceNumber: media.sequence,
                               timestamp: media.timestamp, ssrc: media.ssrc)
        header.write(to: buffers.outbound)
        let body = UnsafeMutableRawBufferPointer(rebasing: buffers.outbound[RTPHeader.size..<1400])
        let bytes: Int
        if let g711 {
            audio.nextFrame(buffers.pcm)
            bytes = g711.encode(UnsafeBufferPointer(buffers.pcm), into: body.bindMemory(to: UInt8.self))
        } else if let encodedPort, encodedPort.passesOpusThrough {
            bytes = encodedPort.nextOpusPayload(body)
            if bytes < 0 { media.sequence &+= 1 }  // a deliberate loss: the number is used, nothing is sent
        } else if let encoder {
            audio.nextFrame(buffers.pcm)
            limitBand(of: encoder)
            bytes = (try? encoder.encode(pcm: UnsafeBufferPointer(buffers.pcm), into: body)) ?? 0
            statistics.opusEncodedFrames += 1
        } else {
            bytes = 0
        }
        guard bytes > 0 else { return 0 }
        media.sequence &+= 1
        return RTPHeader.size + bytes
    }

    /// Keeps the encoder's band to what the source holds (a G.711 phone: narrowband, at any leg rate). The
    /// source can change during a call (a filler, a re-INVITE to another codec), so it is read every frame;
    /// libopus is told only when it changes.
    private func limitBand(of encoder: OpusEncoder) {
        guard setup.configuration.opusSourceBand else { return }
        let highest = audio.highestAudioFrequency
        guard encoderBandLimit != .some(highest) else { return }
        encoderBandLimit = .some(highest)
        do {
            try encoder.setHighestAudioFrequency(highest)
        } catch {
            setup.logger.warning("cannot limit the Opus encoder's band", metadata: ["error": "\(error)"])
        }
    }

    /// Writes `buffers.outbound[0..<length]` through the leg's one reused `ByteBuffer`
    /// (no allocation per packet: the previous write has been flushed, so the buffer is
    /// uniquely owned again when it is cleared).
    func writePacket(length: Int, to address: SocketAddress) {
        guard context != nil else { return }
        outBuffer.clear()
        outBuffer.writeBytes(UnsafeRawBufferPointer(rebasing: buffers.outbound[0..<length]))
        send(outBuffer, to: address)
    }

    // MARK: - Receiving

    func receiveSRTP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let srtp else { return }
        encodedPort?.packetArriving(at: clock.now())
        let count = envelope.data.readableBytes
        guard count <= 1500, count >= RTPHeader.size else { return }
        let inbound = buffers.inbound
        envelope.data.withUnsafeReadableBytes { inbound.copyMemory(from: $0) }
        let secondByte = inbound[1]
        if secondByte >= 192 && secondByte <= 223 {  // RTCP by packet type (RFC 5761 §4)
            guard let length = try? srtp.unprotectRTCP(inbound, length: count) else {
                statistics.srtpFailures += 1
                return
            }
            receiveRTCP(UnsafeRawBufferPointer(rebasing: inbound[0..<length]))
            return
        }
        guard let length = try? srtp.unprotectRTP(inbound, length: count) else {
            statistics.srtpFailures += 1
            return
        }
        setupDeadline = nil  // an SDES leg's first authenticated packet: its peer is there
        if sendsWhenPeerHeard {
            sendsWhenPeerHeard = false
            enableSending()
        }
        let packet = UnsafeRawBufferPointer(rebasing: inbound[0..<length])
        guard let (header, payload) = RTPHeader.parse(packet) else { return }
        let body = UnsafeRawBufferPointer(rebasing: packet[payload])
        if header.payloadType == media.audioPayloadType {
            if let g711 {
                receiveG711(header, body, codec: g711)
                return
            }
            if let encodedPort, encodedPort.passesOpusThrough {
                receivePassThrough(header, body, port: encodedPort)
                return
            }
            receiveOpus(header, body)
        } else if header.payloadType == media.eventPayloadType {
            receiveEvent(header, body)
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
        recordReceived(header)
        let samples = (try? decoder.decode(packet: payload, into: buffers.decoded)) ?? 0
        statistics.opusDecodedFrames += 1
        guard samples > 0 else { return }
        statistics.packetsReceived += 1
        audio.receivedFrame(UnsafeBufferPointer(rebasing: buffers.decoded[0..<samples]))
        reportMediaFlowing()
    }

    /// G.711 from the peer (Meta's `additional_codecs`): decoded by table lookup to
    /// the leg's 8 kHz PCM; a gap is counted as loss and left to the SIP side's timing.
    private func receiveG711(_ header: RTPHeader, _ payload: UnsafeRawBufferPointer, codec: G711Codec) {
        guard acceptInOrder(header) else { return }
        let samples = codec.decode(payload, into: buffers.decoded)
        guard samples > 0 else { return }
        statistics.packetsReceived += 1
        audio.receivedFrame(UnsafeBufferPointer(rebasing: buffers.decoded[0..<samples]))
        reportMediaFlowing()
    }

    /// Takes a packet newer than the last one (late and duplicate packets are
    /// dropped), counts a gap of up to 100 as loss, and records it for RTCP.
    private func acceptInOrder(_ header: RTPHeader) -> Bool {
        if let last = media.lastReceivedSequence {
            let gap = Int(header.sequenceNumber &- last)
            guard gap > 0 && gap < 0x8000 else { return false }
            if gap > 1 && gap <= 100 { statistics.packetsLost += gap - 1 }
        }
        media.lastReceivedSequence = header.sequenceNumber
        recordReceived(header)
        return true
    }

    /// The first audio from the peer, once.
    private func reportMediaFlowing() {
        guard !mediaReported else { return }
        mediaReported = true
        setup.emit(.mediaFlowing)
    }

    /// Hands an Opus payload on undecoded (pass-through); drops late and duplicate packets.
    private func receivePassThrough(_ header: RTPHeader, _ payload: UnsafeRawBufferPointer, port: any EncodedAudioPort) {
        guard acceptInOrder(header) else { return }
        statistics.packetsReceived += 1
        port.receivedOpusPayload(payload, sequenceNumber: header.sequenceNumber, timestamp: header.timestamp)
        reportMediaFlowing()
    }

    /// Fills lost frames: the last one from the next packet's in-band FEC, the
    /// others by Opus PLC (RFC 6716 §4.4).
    private func conceal(lost: Int, next payload: UnsafeRawBufferPointer, decoder: OpusDecoder) {
        statistics.packetsLost += lost
        let frame = UnsafeMutableBufferPointer(rebasing: buffers.decoded[0..<setup.configuration.samplesPerFrame])
        for index in 0..<lost {
            var samples = 0
            if index == lost - 1, let recovered = try? decoder.decodeFEC(nextPacket: payload, into: frame), recovered > 0 {
                statistics.recoveredByFEC += 1
                samples = recovered
            } else {
                samples = (try? decoder.concealLoss(into: frame)) ?? 0
            }
            statistics.opusDecodedFrames += 1
            if samples > 0 { audio.receivedFrame(UnsafeBufferPointer(rebasing: buffers.decoded[0..<samples])) }
        }
    }
}
