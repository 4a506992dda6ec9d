import Codecs
import DTLS
import ICE
import Logging
import NIOCore
import RTP
import SDP
import SRTP
import STUN

/// The per-call state of a WebRTC leg, living on its channel's event loop:
/// the ICE agent (or lite responder), the DTLS endpoint, the SRTP session and
/// the Opus codec. Datagrams are demultiplexed by their first byte (RFC 7983).
/// Not Sendable: only the loop touches it (`WebRTCLeg` holds it loop-bound).
final class WebRTCLegEngine: ChannelInboundHandler, MediaTicker.Member {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// Everything the engine is created with (crosses from the opener to the loop).
    struct Setup: Sendable {
        var configuration: WebRTCLegConfiguration
        var port: Int
        var credentials: ICECredentials
        var ssrc: UInt32
        var dtlsContext: DTLSContext
        var logger: Logger
        var emit: @Sendable (WebRTCLegEvent) -> Void
    }

    let setup: Setup
    /// The call's media clock (`setup.configuration.clock`): ICE, consent, DTLS, setup deadline, RTCP.
    let clock: MediaClock
    let audio: any AudioPort
    /// `audio` when it also trades encoded packets and live events (the media bridge).
    let encodedPort: (any EncodedAudioPort)?
    var channel: (any Channel)?
    /// This handler's place in the socket's pipeline: every datagram is written through it
    /// (`send(_:to:)`), straight to the socket, without the pipeline's generic entry point.
    var context: ChannelHandlerContext?
    var agent: ICEAgent?
    var lite: ICELiteResponder?
    var remote: WebRTCRemoteParameters?
    var remoteAddress: SocketAddress?
    /// Where RTCP goes and comes from when it is not muxed (an SDES leg's `a=rtcp` or RTP + 1).
    var remoteRTCPAddress: SocketAddress?
    /// An SDES leg that sends only once the peer's first packet is authenticated (Meta's side).
    var sendsWhenPeerHeard = false
    var dtls: DTLSEndpoint?
    var dtlsStarted = false
    var srtp: SRTPSession?
    var encoder: OpusEncoder?
    /// The band limit last given to `encoder` (`.none`: none given yet).
    var encoderBandLimit: Int?? = .none
    var decoder: OpusDecoder?
    /// The G.711 codec when the peer chose PCMU or PCMA instead of Opus.
    var g711: G711Codec?
    var timer: Scheduled<Void>?
    /// The loop's shared media clock, once media started.
    var ticker: MediaTicker?
    var nextFrameAt = NIODeadline.now()
    var setupDeadline: NIODeadline?
    var finished = false
    var mediaReported = false
    var sendingEnabled = true
    var mediaStarted = false
    var statistics = WebRTCLegStatistics()
    var media = MediaState()
    var rtcp = RTCPState()
    let buffers: MediaBuffers
    /// The one `ByteBuffer` every media packet is written through (cleared per packet).
    var outBuffer: ByteBuffer
    /// The WhatsApp → browser numbering of forwarded Opus (`forwardOpus`).
    var forwarding = PassThroughRewriter()
    /// Whether audio comes in through `forwardOpus` instead of the 20 ms tick (the
    /// tick then sends only RTCP).
    var forwardsOnArrival = false
    let cname: String

    init(setup: Setup, audio: any AudioPort) {
        self.setup = setup
        clock = setup.configuration.clock
        self.audio = audio
        encodedPort = audio as? any EncodedAudioPort
        buffers = MediaBuffers(samplesPerFrame: setup.configuration.samplesPerFrame)
        outBuffer = ByteBufferAllocator().buffer(capacity: MediaBuffers.packetSize)
        cname = "wagate-\(setup.ssrc)"
        let candidates = ICELocalCandidate.gatewayCandidates(
            hostAddresses: setup.configuration.candidateAddresses, port: setup.port,
            externalAddress: setup.configuration.externalAddress)
        var ice = ICEConfiguration()
        ice.consentInterval = setup.configuration.consentInterval
        ice.consentJitter = min(ice.consentJitter, setup.configuration.consentInterval / 5)
        ice.consentTimeout = setup.configuration.consentTimeout
        // Both kinds answer connectivity checks at once, before the peer's SDP is known.
        switch setup.configuration.mode {
        case .gateway:
            agent = ICEAgent(localCredentials: setup.credentials, localCandidates: candidates, role: .controlling,
                             configuration: ice)
        case .sdes:
            break  // keys come from the SDP: nothing answers STUN, nothing speaks DTLS
        case .iceLite, .browser:
            lite = ICELiteResponder(
                localCredentials: setup.credentials, localCandidates: candidates, configuration: ice,
                nominationPolicy: setup.configuration.mode == .browser ? .followLatest : .firstOnly)
        }
        media = MediaState(ssrc: setup.ssrc)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(event: .closed)
        context.fireChannelInactive()
    }

    /// Monotonic time as the protocol cores want it.
    var now: (ice: ICEInstant, dtls: Duration) {
        let nanoseconds = Int64(clock.uptimeNanoseconds())
        return (ICEInstant(nanoseconds: nanoseconds), .nanoseconds(nanoseconds))
    }

    // MARK: - Start

    func start(remote: WebRTCRemoteParameters, ourSetup: SetupRole, sending: Bool) {
        guard !finished, self.remote == nil, srtp == nil else { return }
        guard setup.configuration.mode != .sdes else {
            fail("an SDES leg is keyed from the SDP, not by ICE and DTLS")
            return
        }
        self.remote = remote
        sendingEnabled = sending
        armSetupDeadline()
        let weAreClient = remote.weAreDTLSClient(ourSetup: ourSetup) ?? (setup.configuration.mode == .gateway)
        let fingerprints = remote.fingerprints.compactMap { fp in
            DTLSFingerprint.Algorithm(name: fp.hashFunction).map { DTLSFingerprint(algorithm: $0, bytes: fp.bytes) }
        }
        guard let chosen = remote.audioPayload(allowed: setup.configuration.audioCodecs) else {
            fail("no audio codec in common: the peer lists \(remote.audioPayloads.map(\.codec.encodingName)), "
                 + "this leg takes \(setup.configuration.audioCodecs.map(\.encodingName))")
            return
        }
        do {
            dtls = try DTLSEndpoint(context: setup.dtlsContext, configuration: .init(
                role: weAreClient ? .client : .server, remoteFingerprints: fingerprints))
        } catch {
            fail("cannot set up the media leg: \(error)")
            return
        }
        guard prepareCodec(chosen, telephoneEvent: remote.telephoneEventPayloadType) else { return }
        if !weAreClient { startDTLS() }
        switch setup.configuration.mode {
        case .gateway:
            if var agent {
                perform(agent.start(remote: ICERemoteDescription(remote), now: now.ice))
                self.agent = agent
            }
        case .iceLite, .browser, .sdes:
            lite?.remoteUfrag = remote.iceUfrag
            lite?.remoteCandidates = remote.candidates
        }
        rescheduleTimer()
    }

    // MARK: - Datagrams

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard !finished, let first = envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt8.self) else { return }
        switch first {
        case 0...3: receiveSTUN(envelope)
        case 20...63: receiveDTLS(envelope)
        case 128...191:
            // SRTP and SRTCP only from the ICE-selected pair (an SDES leg: the SDP's
            // RTP or RTCP address): nothing else reaches libsrtp.
            guard let remoteAddress, remoteAddress == envelope.remoteAddress || remoteRTCPAddress == envelope.remoteAddress else {
                statistics.foreignDropped += 1
                return
            }
            receiveSRTP(envelope)
        default: break
        }
    }

    /// Whether DTLS from `source` may reach OpenSSL: the ICE-selected pair's
    /// remote address once there is one; before that, only an address ICE has
    /// authenticated (a valid pair: the peer may finish ICE and send its
    /// ClientHello before our nomination completes). A spoofed alert or
    /// garbage from anywhere else is dropped, so it cannot fail the handshake.
    private func dtlsSourceIsTrusted(_ source: SocketAddress) -> Bool {
        if let selected = agent?.selectedPair ?? lite?.selectedPair {
            return Self.socketAddress(selected.remote) == source
        }
        guard let transport = Self.transportAddress(source) else { return false }
        return agent?.isValidatedRemote(transport) ?? lite?.isValidatedRemote(transport) ?? false
    }

    private func receiveSTUN(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let source = Self.transportAddress(envelope.remoteAddress) else { return }
        let bytes = Array(envelope.data.readableBytesView)
        if var agent {
            let actions = agent.receive(bytes, from: source, now: now.ice)
            self.agent = agent
            perform(actions)
        } else if var lite {
            let actions = lite.receive(bytes, from: source, now: now.ice)
            self.lite = lite
            perform(actions)
        }
    }

    private func receiveDTLS(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let dtls else { return }
        guard dtlsSourceIsTrusted(envelope.remoteAddress) else {
            statistics.foreignDropped += 1
            return
        }
        // As DTLS server the peer may finish ICE first; its ClientHello shows where it is.
        if remoteAddress == nil { remoteAddress = envelope.remoteAddress }
        let output = envelope.data.withUnsafeReadableBytes { dtls.receive($0, now: now.dtls) }
        handleDTLS(output)
    }

    // MARK: - ICE and DTLS

    func perform(_ actions: [ICEAction]) {
        for action in actions {
            switch action {
            case let .send(bytes, to, _):
                if let address = Self.socketAddress(to) { write(bytes, to: address) }
            case .selected(let pair):
                remoteAddress = Self.socketAddress(pair.remote)
                setup.emit(.iceConnected(pair.description))
                if dtls?.configuration.role == .client { startDTLS() }
            case .failed(let reason):
                fail(reason.description)
            case .roleChanged(let role):
                setup.logger.debug("ICE role changed", metadata: ["role": "\(role)"])
            }
        }
        rescheduleTimer()
    }

    func startDTLS() {
        guard let dtls, !dtlsStarted else { return }
        dtlsStarted = true
        handleDTLS(dtls.start(now: now.dtls))
    }

    func handleDTLS(_ output: DTLSOutput) {
        if let address = remoteAddress {
            for datagram in output.datagrams { write(datagram, to: address) }
        }
        switch output.event {
        case .connected(let keys):
            guard let profile = SRTPProfile(protectionProfileID: keys.profile.rawValue),
                  let session = try? SRTPSession(profile: profile, localKey: keys.localKey, localSalt: keys.localSalt,
                                                 remoteKey: keys.remoteKey, remoteSalt: keys.remoteSalt) else {
                fail("SRTP could not be keyed from DTLS")
                return
            }
            srtp = session
            setupDeadline = nil
            setup.emit(.dtlsConnected("\(keys.profile)"))
            startMedia()
        case .failed(let error):
            fail("DTLS failed: \(error)")
        case .closed:
            setup.logger.info("WebRTC peer closed DTLS", metadata: ["port": "\(setup.port)"])
            finish(event: .peerClosed)
        case nil:
            break
        }
        rescheduleTimer()
    }

    // MARK: - Timers

    /// Starts the setup deadline (`setupTimeout` from now): ICE and DTLS must
    /// complete by then, or, on an SDES leg, the peer's first SRTP packet must
    /// authenticate; otherwise the leg fails.
    func armSetupDeadline() {
        setupDeadline = clock.now() + .nanoseconds(Int64(setup.configuration.setupTimeout.components.seconds) * 1_000_000_000)
    }

    func rescheduleTimer() {
        guard !finished, let loop = channel?.eventLoop else { return }
        timer?.cancel()
        let nowValue = now
        var deadline = setupDeadline
        func consider(_ nanoseconds: Int64) {
            let candidate = NIODeadline.uptimeNanoseconds(UInt64(max(0, nanoseconds)))
            deadline = deadline.map { min($0, candidate) } ?? candidate
        }
        if let next = agent?.nextTimeout() { consider(next.nanoseconds) }
        if let next = lite?.nextTimeout() { consider(next.nanoseconds) }
        if let dtls, !dtls.isConnected, let next = dtls.nextTimeout(now: nowValue.dtls) {
            let (seconds, attoseconds) = next.components
            consider(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        guard let deadline else { return }
        // The deadline is on the call's clock; the loop's timer waits the same span on its own.
        timer = loop.assumeIsolated().scheduleTask(in: clock.delay(until: deadline)) { [weak self] in self?.timerFired() }
    }

    private func timerFired() {
        guard !finished else { return }
        let nowValue = now
        if let setupDeadline, clock.now() >= setupDeadline {
            if setup.configuration.mode == .sdes {
                fail("no media from the SDES peer: no SRTP packet authenticated in \(setup.configuration.setupTimeout) "
                     + "(\(statistics.srtpFailures) packets failed authentication)")
            } else {
                fail("media setup timed out: ICE and DTLS did not complete in \(setup.configuration.setupTimeout)")
            }
            return
        }
        if var agent {
            let actions = agent.poll(now: nowValue.ice)
            self.agent = agent
            perform(actions)
        }
        if var lite {
            let actions = lite.poll(now: nowValue.ice)
            self.lite = lite
            perform(actions)
        }
        if let dtls, dtlsStarted, !dtls.isConnected { handleDTLS(dtls.handleTimeout(now: nowValue.dtls)) }
        rescheduleTimer()
    }

    // MARK: - Output and teardown

    func write(_ bytes: [UInt8], to address: SocketAddress) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        send(buffer, to: address)
    }

    /// Writes and flushes one datagram from this handler's context. The envelope is wrapped
    /// with its concrete type known here, so no dynamic cast decides how NIO stores it, and
    /// the write skips the pipeline's thread check and tail: one `sendmsg` per call.
    func send(_ buffer: ByteBuffer, to address: SocketAddress) {
        context?.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: buffer)), promise: nil)
    }

    func fail(_ reason: String) {
        guard !finished else { return }
        setup.logger.warning("WebRTC leg failed", metadata: ["reason": "\(reason)", "port": "\(setup.port)"])
        finish(event: .failed(reason))
    }

    func finish(event: WebRTCLegEvent) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        ticker?.remove(self)
        ticker = nil
        setup.emit(event)
        if event != .closed { setup.emit(.closed) }
    }

    static func transportAddress(_ address: SocketAddress) -> TransportAddress? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return TransportAddress(ip, port: port)
    }

    static func socketAddress(_ address: TransportAddress) -> SocketAddress? {
        try? SocketAddress(ipAddress: address.host, port: Int(address.port))
    }
}
