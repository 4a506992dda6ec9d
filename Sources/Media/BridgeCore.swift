import Codecs
import Logging
import NIOCore
import RTP
import SRTP

/// One call's media bridge state, living on the event loop both legs share:
/// the SIP leg's RTP handler (`ChannelInboundHandler` on the SIP socket) and
/// the WhatsApp leg's audio port (`EncodedAudioPort`, pulled and pushed by
/// the `WebRTCLegEngine`). Every packet in either direction is handled here
/// synchronously: no locks, no `await`, buffers allocated once per call.
/// Not Sendable: `MediaBridge` holds it loop-bound.
final class BridgeCore: ChannelInboundHandler, MediaTicker.Member {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// What the bridge is created with.
    struct Setup: Sendable {
        var configuration: MediaBridgeConfiguration
        var logger: Logger
        var emit: @Sendable (MediaBridgeEvent) -> Void
    }

    let setup: Setup
    /// The call's media clock (`setup.configuration.clock`).
    let clock: MediaClock
    /// The WhatsApp leg's PCM rate.
    let legRate: Int
    var channel: (any Channel)?
    /// This handler's place in the SIP socket's pipeline: RTP toward the SIP peer is written
    /// through it (`send(length:)`), with the envelope's concrete type known at the write.
    var context: ChannelHandlerContext?
    var parameters: SIPLegParameters?
    /// Where the signalling says the SIP peer is (nil: no address, a legacy hold).
    var signalled: SocketAddress?
    /// Which source the SIP leg's RTP is taken from (symmetric RTP, strict sources).
    var sources: RTPSourceLearner<SocketAddress>
    /// Where symmetric RTP latched (nil: not yet, or symmetric RTP is off).
    var latched: SocketAddress? {
        setup.configuration.symmetricRTP == .off ? nil : sources.current
    }
    var srtp: SRTPSession?
    var g711: G711Codec?
    var g722: G722Codec?
    let plc: G711PLC
    var toLeg: RateConverter?
    var toSIP: RateConverter?
    let jitter: JitterBuffer
    let opusQueue = OpusPacketQueue()
    let buffers = BridgeBuffers()
    var outBuffer: ByteBuffer
    /// The open recording, if any (touched only on the loop: BridgeCore+Recording.swift).
    var recorder: WAVRecorder?
    /// `{directory}/{label}-{port}`, once the port is known; nil without a recording directory.
    var recordingBase: String?
    /// Every file recorded into so far, oldest first.
    var recordingFiles: [String] = []
    let latency = LatencyHistogram()
    var events = TelephoneEventQueue()
    var sip = SIPSendState()
    var receive: RTPReceiveStatistics?
    var stats = MediaBridgeStatistics()
    var concealedRun = 0
    var lastSIPPacket: NIODeadline
    var lastWhatsAppPacket: NIODeadline?
    var arrival: NIODeadline
    var sipTimedOut = false
    var whatsappTimedOut = false
    var sipFlowing = false
    /// The SIP dialog is answered: WhatsApp audio goes to the SIP peer from then on
    /// (before it, it is dropped, never queued: see `openToWhatsAppAudio`).
    var sipAnswered = false
    /// The WhatsApp leg has pulled its first frame (what the SIP peer sent before is stale).
    var whatsAppPulling = false
    var timer: Scheduled<Void>?
    var closed = false
    /// Local ringback toward the SIP caller until the WhatsApp side sends audio or the call is bridged.
    var ringback: RingbackGenerator?
    /// The browser leg when the business side is a browser (Opus pass-through both ways).
    var browser: BrowserSide?
    /// The attached browser leg's handle (for its statistics and its owner's close).
    var browserLeg: WebRTCLeg?
    var ringbackTicker: MediaTicker?
    /// While the business side is detached (a transfer's target ringing): what WhatsApp hears instead.
    var filler: FillerPlayer?
    /// RTCP: our sender statistics, the non-muxed RTCP socket, where the peer's RTCP comes from, the next report.
    var rtcpSend = RTPSendStatistics(clockRate: 8_000)
    var rtcpChannel: (any Channel)?
    var rtcpLatched: SocketAddress?
    var rtcpNextReport: NIODeadline

    init(setup: Setup) throws {
        self.setup = setup
        clock = setup.configuration.clock
        let now = clock.now()
        lastSIPPacket = now
        arrival = now
        rtcpNextReport = now + .seconds(1)
        legRate = setup.configuration.webRTC.sampleRate
        plc = try G711PLC()
        sources = RTPSourceLearner(probation: setup.configuration.rtpProbation,
                                   learnsAnySource: setup.configuration.symmetricRTP == .anyAddress)
        let ticks = { (duration: Duration) in MediaBridgeConfiguration.milliseconds(duration) * 8 }
        jitter = JitterBuffer(minimumDelay: ticks(setup.configuration.jitterBufferMin),
                              maximumDelay: ticks(setup.configuration.jitterBufferMax))
        outBuffer = ByteBufferAllocator().buffer(capacity: BridgeBuffers.packetSize)
        stats.whatsapp.codec = "opus"
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: - Control (from MediaBridge, on the loop)

    /// First call: starts the SIP leg; later: a re-INVITE/UPDATE. `answered`
    /// false: the SIP dialog is not answered yet (our 200 to a phone's INVITE is
    /// still to come), so WhatsApp audio waits for `openToWhatsAppAudio`.
    func apply(_ new: SIPLegParameters, destination: SocketAddress?, answered: Bool = true) {
        guard !closed else { return }
        if answered { sipAnswered = true }
        let old = parameters
        parameters = new
        if old?.codec != new.codec {
            configureCodec(new.codec)
            rtcpSend = RTPSendStatistics(clockRate: new.codec.rtpClockRate)
        }
        if old?.sdes != new.sdes { configureSRTP(new.sdes) }
        if destination != signalled || old == nil {
            signalled = destination
            sources.reset(signalled: destination)
            rtcpLatched = nil
        }
        if old?.direction.receives != true, new.direction.receives {
            lastSIPPacket = clock.now()  // (re)start the inactivity clock on start and on resume
            sipTimedOut = false
            jitter.reset()
            opusQueue.reset()
        }
        if old?.effectivePtime != new.effectivePtime { sip.fifoCount = 0 }
        stats.sip.codec = new.codec.name
        stats.passThrough = new.codec.isPassThrough
        if timer == nil { startTimer() }
    }

    private func configureCodec(_ codec: SIPMediaCodec) {
        g711 = nil
        g722 = nil
        do {
            switch codec {
            case .pcmu: g711 = try G711Codec(.ulaw)
            case .pcma: g711 = try G711Codec(.alaw)
            case .g722: g722 = try G722Codec()
            case .opus: break
            }
        } catch {
            setup.logger.error("cannot create the SIP codec", metadata: ["codec": "\(codec.name)", "error": "\(error)"])
        }
        let sipRate = codec.isPassThrough ? legRate : codec.sampleRate
        toLeg = RateConverter(from: sipRate, to: legRate)
        toSIP = RateConverter(from: legRate, to: sipRate)
        jitter.reset()
        sip.fifoCount = 0
    }

    private func configureSRTP(_ keys: SIPSDESKeys?) {
        srtp = nil
        guard let keys else { return }
        guard let profile = SRTPProfile(sdesSuite: keys.suite) else {
            setup.logger.error("unsupported SDES suite on the SIP leg", metadata: ["suite": "\(keys.suite)"])
            return
        }
        do {
            srtp = try SRTPSession(profile: profile, localKeyAndSalt: keys.localKeyAndSalt, remoteKeyAndSalt: keys.remoteKeyAndSalt)
        } catch {
            setup.logger.error("SDES-SRTP keys rejected", metadata: ["error": "\(error)"])
        }
    }

    /// A SIP INFO digit for WhatsApp.
    func queueDigit(_ code: UInt8, durationMs: Int) {
        events.appendDigit(code: code, duration: max(40, min(durationMs, 5000)) * 8)
    }

    // MARK: - Inactivity

    func startTimer() {
        guard let loop = channel?.eventLoop else { return }
        timer = loop.assumeIsolated().scheduleTask(in: .milliseconds(250)) { [weak self] in
            guard let self, !self.closed else { return }
            self.checkInactivity()
            self.sendRTCPIfDue(now: self.clock.now())
            self.startTimer()
        }
    }

    /// A detached business side (no `parameters`) has no SIP-side timeout; the WhatsApp side's still runs.
    private func checkInactivity() {
        guard !closed else { return }
        let now = clock.now()
        let limit = TimeAmount.nanoseconds(Int64(MediaBridgeConfiguration.milliseconds(setup.configuration.rtpInactivityTimeout)) * 1_000_000)
        if let parameters, parameters.direction.receives, !sipTimedOut, now - lastSIPPacket > limit {
            sipTimedOut = true
            let what = sipFlowing ? "RTP stopped" : "no RTP arrived"
            setup.emit(.rtpTimeout(.sip, reason: "\(what) on the SIP leg for \(setup.configuration.rtpInactivityTimeout) (peer \(parameters.remoteAddress):\(parameters.remotePort))"))
        }
        if let last = lastWhatsAppPacket, !whatsappTimedOut, now - last > limit {
            whatsappTimedOut = true
            setup.emit(.rtpTimeout(.whatsapp, reason: "RTP stopped on the WhatsApp leg for \(setup.configuration.rtpInactivityTimeout)"))
        }
    }

    /// Stops timers and the recording (the sockets are closed by `MediaBridge`).
    /// Plays `tone` to the SIP peer every 20 ms (the SIP leg's codec, ptime and
    /// SSRC: the same stream the call continues in). Not in Opus pass-through,
    /// where the bridge has no SIP-side encoder: the phone keeps its own ringback.
    func startRingback(_ tone: RingbackTone) {
        guard ringback == nil, !closed, parameters?.codec.isPassThrough != true else { return }
        guard let loop = channel?.eventLoop else { return }
        ringback = RingbackGenerator(tone: tone, sampleRate: legRate)
        let ticker = MediaTicker.current(on: loop)
        ticker.add(self)
        ringbackTicker = ticker
    }

    func stopRingback() {
        ringback = nil
        ringbackTicker?.remove(self)
        ringbackTicker = nil
    }

    /// One ringback frame per tick of the loop's media clock (the legs' clock).
    func tick(due: NIODeadline) {
        if let ringback { sendToSIP(ringback.next()) }
    }

    func shutdown() {
        stopRingback()
        guard !closed else { return }
        closed = true
        timer?.cancel()
        recorder?.close()
    }

    /// The bridge's figures (the WhatsApp leg's are merged in by `MediaBridge`).
    func snapshot() -> MediaBridgeStatistics {
        var result = stats
        if let receive {
            result.sip.packetsReceived = Int(receive.packetsReceived)
            result.sip.packetsLost = max(0, Int(receive.cumulativeLost))
            let (seconds, attoseconds) = receive.jitter(clockRate: parameters?.codec.rtpClockRate ?? 8_000).components
            result.sip.jitterMs = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        }
        result.sip.estimateMOS()
        result.recordingPath = recordingPaths
        result.latePackets = jitter.latePackets + opusQueue.dropped
        result.jitterBufferMs = parameters?.codec.isPassThrough == true ? Double(opusQueue.count * 20) : jitter.targetDelayMs
        let buckets = latency.snapshot
        result.latencyHistogram = buckets
        result.latencySamples = latency.total
        result.latencyP50Microseconds = LatencyHistogram.percentile(0.5, of: buckets)
        result.latencyP99Microseconds = LatencyHistogram.percentile(0.99, of: buckets)
        return result
    }
}

/// The bridge's packet and PCM buffers, allocated once per call (sized for
/// 48 kHz PCM and 40 ms SIP packets), reused for every packet.
final class BridgeBuffers {
    static let packetSize = 1500 + SRTPSession.maximumTrailerLength
    /// Samples of the largest frame handled (40 ms at 48 kHz).
    static let maximumSamples = 1_920
    let inbound = UnsafeMutableRawBufferPointer.allocate(byteCount: packetSize, alignment: 16)
    let outbound = UnsafeMutableRawBufferPointer.allocate(byteCount: packetSize, alignment: 16)
    let frameBytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: JitterBuffer.frameTicks)
    let sipPCM = UnsafeMutableBufferPointer<Int16>.allocate(capacity: maximumSamples)
    let fifo = UnsafeMutableBufferPointer<Int16>.allocate(capacity: 2 * maximumSamples)
    let lastWhatsApp = UnsafeMutableBufferPointer<Int16>.allocate(capacity: maximumSamples)
    let converted = UnsafeMutableBufferPointer<Int16>.allocate(capacity: maximumSamples)

    init() {
        frameBytes.initialize(repeating: 0)
        for buffer in [sipPCM, fifo, lastWhatsApp, converted] { buffer.initialize(repeating: 0) }
    }

    deinit {
        inbound.deallocate()
        outbound.deallocate()
        frameBytes.deallocate()
        for buffer in [sipPCM, fifo, lastWhatsApp, converted] { buffer.deallocate() }
    }
}

/// Counters of what the bridge sends on the SIP leg (one continuous stream:
/// our SSRC, our sequence numbers, timestamps advancing with time).
struct SIPSendState {
    let ssrc = UInt32.random(in: 1...UInt32.max)
    var sequence = UInt16.random(in: 0...UInt16.max)
    var timestamp = UInt32.random(in: 0...UInt32.max)
    var marker = true
    var fifoCount = 0
    var lastFrameAt: NIODeadline?
    /// Pass-through numbering and the WhatsApp → SIP telephone event being relayed.
    var passThrough = PassThroughRewriter()
    var eventActiveSince: NIODeadline?
}
