public import Logging
public import NIOCore
import NIOPosix
import Synchronization

/// One call's media: the SIP leg (RTP or SDES-SRTP on a port from the RTP
/// range) bridged to the WhatsApp leg (`WebRTCLeg`), both on ONE event loop,
/// with G.711/G.722 ⇄ Opus transcoding, or Opus pass-through when the SIP
/// side speaks Opus.
///
/// Per 20 ms frame, SIP → WhatsApp: RTP in → symmetric-RTP check → SRTP
/// unprotect → adaptive jitter buffer (any ptime) → decode, PLC on loss →
/// Opus encode at the leg's rate → SRTP → out. WhatsApp → SIP: SRTP
/// unprotect → Opus decode (FEC/PLC) → encode → packets of the SIP ptime →
/// out. RFC 4733 events are relayed both ways. Everything per packet runs
/// synchronously on the loop in `BridgeCore`; this type is its thread-safe handle.
///
/// Consume `events` (the bridge forwards the WhatsApp leg's events there);
/// call `close()` on every path: it releases both ports.
public final class MediaBridge: Sendable {
    /// The SIP-side RTP port (for our SIP SDP).
    public let sipPort: Int
    /// The WhatsApp leg (for the WhatsApp SDP: `localParameters`, `start`, `startSending`).
    public let webrtc: WebRTCLeg
    /// What the bridge reports, in order; finishes after `.closed`.
    public let events: AsyncStream<MediaBridgeEvent>

    let core: NIOLoopBound<BridgeCore>
    let sipChannel: any Channel
    private let sipRTCPChannel: (any Channel)?
    private let allocator: RTPPortAllocator
    private let continuation: AsyncStream<MediaBridgeEvent>.Continuation
    private let isClosed = Atomic<Bool>(false)
    private let forwarder: Task<Void, Never>

    /// Allocates the SIP-side RTP port and opens the WhatsApp leg on one loop of
    /// `group`. Throws `MediaError.portsExhausted` when the range has no free
    /// port (answer the SIP call 503); nothing stays allocated when it throws.
    public static func open(configuration: MediaBridgeConfiguration, allocator: RTPPortAllocator,
                            group: any EventLoopGroup, logger: Logger) async throws -> MediaBridge {
        let loop = MediaLoopLoad.loop(for: group)
        let (events, continuation) = AsyncStream.makeStream(of: MediaBridgeEvent.self)
        let setup = BridgeCore.Setup(configuration: configuration, logger: logger, emit: { continuation.yield($0) })
        let core = try await loop.submit { NIOLoopBound(try BridgeCore(setup: setup), eventLoop: loop) }.get()
        let (channel, port) = try await bindSIP(core: core, loop: loop, host: configuration.sipBindHost,
                                                allocator: allocator, logger: logger)
        let rtcp = try? await DatagramBootstrap(group: loop)  // RTP port + 1 (RFC 3550 §11); optional: mux needs none
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SIPRTCPHandler(core: core.value)) }
            }
            .bind(host: configuration.sipBindHost, port: port + 1).get()
        let leg: WebRTCLeg
        do {
            leg = try await WebRTCLeg.open(configuration: configuration.webRTC, allocator: allocator, group: loop,
                                           logger: logger) { core.value }
        } catch {
            try? await channel.close()
            try? await rtcp?.close()
            allocator.release(port)
            continuation.finish()
            throw error
        }
        try? await loop.submit { core.value.prepareRecording(port: port) }.get()
        let forwarder = Task { await Self.forward(leg.events, to: continuation) }
        return MediaBridge(sipPort: port, webrtc: leg, events: events, core: core, sipChannel: channel, sipRTCPChannel: rtcp,
                           allocator: allocator, continuation: continuation, forwarder: forwarder)
    }

    private init(sipPort: Int, webrtc: WebRTCLeg, events: AsyncStream<MediaBridgeEvent>, core: NIOLoopBound<BridgeCore>,
                 sipChannel: any Channel, sipRTCPChannel: (any Channel)?, allocator: RTPPortAllocator,
                 continuation: AsyncStream<MediaBridgeEvent>.Continuation, forwarder: Task<Void, Never>) {
        self.sipPort = sipPort
        self.webrtc = webrtc
        self.events = events
        self.core = core
        self.sipChannel = sipChannel
        self.sipRTCPChannel = sipRTCPChannel
        self.allocator = allocator
        self.continuation = continuation
        self.forwarder = forwarder
    }

    /// Binds the SIP-side socket on a port from the range (trying another when one is busy).
    private static func bindSIP(core: NIOLoopBound<BridgeCore>, loop: any EventLoop, host: String,
                                allocator: RTPPortAllocator, logger: Logger) async throws -> (any Channel, Int) {
        for _ in 0..<16 {
            guard let port = allocator.allocate() else { throw MediaError.portsExhausted }
            do {
                let channel = try await DatagramBootstrap(group: loop)
                    .channelOption(.maxMessagesPerRead, value: 1)  // one datagram per wakeup is the norm: skip the EAGAIN read
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(core.value)
                        }
                    }
                    .bind(host: host, port: port).get()
                return (channel, port)
            } catch {
                allocator.release(port)
                logger.debug("SIP RTP port busy, trying another", metadata: ["port": "\(port)", "error": "\(error)"])
            }
        }
        throw MediaError.portsExhausted
    }

    /// Maps the WhatsApp leg's events onto the bridge's.
    private static func forward(_ legEvents: AsyncStream<WebRTCLegEvent>, to continuation: AsyncStream<MediaBridgeEvent>.Continuation) async {
        for await event in legEvents {
            switch event {
            case .iceConnected(let pair): continuation.yield(.webrtcICEConnected(pair))
            case .dtlsConnected(let profile), .sdesKeyed(let profile): continuation.yield(.webrtcConnected(profile))
            case .mediaFlowing: continuation.yield(.webrtcMediaFlowing)
            case let .dtmf(digit, durationMs): continuation.yield(.dtmf(digit, durationMs: durationMs, from: .whatsapp))
            case .failed(let reason): continuation.yield(.webrtcFailed(reason))
            case .peerClosed: continuation.yield(.webrtcFailed("the peer closed DTLS"))  // Meta leaves by terminate, not by DTLS
            case .closed: return
            }
        }
    }

    /// Sets the SIP leg: the first time starts it; later calls apply a
    /// re-INVITE/UPDATE (hold/resume, new address, new keys) without touching
    /// the WhatsApp leg. `remoteAddress` must be an IP literal: host names are
    /// refused with 488 by the SDP negotiator and never resolved (no DNS on a
    /// call path); anything else leaves the leg without a destination.
    /// `answered` false: the SIP dialog is still to be answered by us (a phone's
    /// INVITE, our 200 to come); WhatsApp audio is then dropped, not queued,
    /// until `sipAnswered()`.
    public func setSIPLeg(_ parameters: SIPLegParameters, answered: Bool = true) {
        let destination = Self.destination(parameters)
        let core = self.core
        sipChannel.eventLoop.execute { core.value.apply(parameters, destination: destination, answered: answered) }
    }

    /// Our 200 to the SIP caller is sent: the WhatsApp user's live audio goes to
    /// the SIP peer from now on and replaces the local ringback.
    public func sipAnswered() {
        let core = self.core
        sipChannel.eventLoop.execute { core.value.openToWhatsAppAudio() }
    }

    private static func destination(_ parameters: SIPLegParameters) -> SocketAddress? {
        guard parameters.remotePort > 0, parameters.remoteAddress != "0.0.0.0", parameters.remoteAddress != "::" else { return nil }
        return try? SocketAddress(ipAddress: parameters.remoteAddress, port: parameters.remotePort)
    }

    /// Detaches the business side (a blind transfer): the SIP peer or the browser
    /// is forgotten (its late RTP is dropped, nothing is sent to it, no RTP timeout;
    /// a browser's leg is left for its owner to take with `detachBrowser`) and
    /// WhatsApp hears `filler` on the same stream until `joinBusiness()` (nil:
    /// the filler already playing goes on, silence if none). The next
    /// `setSIPLeg` starts the new party's leg afresh on the same port.
    public func detachBusiness(filler: FillerSound?) {
        let core = self.core
        sipChannel.eventLoop.execute { core.value.detach(filler: filler) }
    }

    /// Ends the filler: the SIP side set since `detachBusiness` is heard by
    /// WhatsApp from now on. Does nothing when the side is not detached.
    public func joinBusiness() {
        let core = self.core
        sipChannel.eventLoop.execute { core.value.join() }
    }

    /// Sends a digit to WhatsApp as RFC 4733 (from SIP INFO `application/dtmf-relay`), after any digit already playing.
    public func sendDTMFToWhatsApp(_ digit: Character, durationMs: Int = 160) {
        guard let code = BridgeCore.digits.firstIndex(of: digit) else { return }
        let core = self.core
        sipChannel.eventLoop.execute { core.value.queueDigit(UInt8(code), durationMs: durationMs) }
    }

    /// Plays a local ringback tone to the SIP caller (early media) until
    /// `sipAnswered()` (or, on a leg set as answered, the WhatsApp side's first
    /// audio), `stopRingback()` or `close()`.
    public func startRingback(_ tone: RingbackTone) {
        let core = self.core
        sipChannel.eventLoop.execute { core.value.startRingback(tone) }
    }

    /// Stops the local ringback (the call is answered and bridged).
    public func stopRingback() {
        let core = self.core
        sipChannel.eventLoop.execute { core.value.stopRingback() }
    }

    /// Starts (`on`) or stops the call's WAV recording on the bridge's loop;
    /// the recorder is never touched from another thread. A start after a stop
    /// opens a new file (`-2.wav`, …); a stop closes the file with a valid header.
    public func setRecording(_ on: Bool) async -> MediaRecordingOutcome {
        let core = self.core
        let future = sipChannel.eventLoop.submit { on ? core.value.beginRecording() : core.value.endRecording() }
        return (try? await future.get()) ?? .closed
    }

    /// Both legs' figures: packets, loss, jitter, RTT, MOS, codecs, latency.
    public func statistics() async -> MediaBridgeStatistics {
        let core = self.core
        var result = (try? await sipChannel.eventLoop.submit { core.value.snapshot() }.get()) ?? MediaBridgeStatistics()
        let leg = await webrtc.statistics()
        result.whatsapp.packetsSent = leg.packetsSent
        result.whatsapp.packetsReceived = leg.packetsReceived
        result.whatsapp.packetsLost = leg.packetsLost
        result.whatsapp.jitterMs = leg.jitterMs
        result.whatsapp.roundTripMs = leg.roundTripMs
        if !leg.codec.isEmpty { result.whatsapp.codec = leg.codec }
        result.whatsapp.estimateMOS()
        result.opusEncodedFrames = leg.opusEncodedFrames
        result.opusDecodedFrames = leg.opusDecodedFrames
        await mergeBrowserStatistics(into: &result)
        return result
    }

    /// Closes both legs and releases both ports; safe to call more than once.
    public func close() async {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let core = self.core
        try? await sipChannel.eventLoop.submit { core.value.shutdown() }.get()
        await webrtc.close()
        try? await sipChannel.close()
        try? await sipRTCPChannel?.close()
        allocator.release(sipPort)
        await forwarder.value
        continuation.yield(.closed)
        continuation.finish()
    }
}
