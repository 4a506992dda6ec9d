import DTLS
public import ICE
public import Logging
public import NIOCore
import NIOPosix
public import SDP
import Synchronization

/// The WhatsApp side of a call: one UDP socket from the RTP port range on one
/// NIO event loop, driving ICE → DTLS → SRTP, with Opus at a 48 kHz RTP clock
/// and 20 ms PCM frames in and out through an `AudioPort`. No RTP is sent
/// before DTLS completes. A leg in `.sdes` mode skips ICE and DTLS: it is
/// keyed from the SDP (`start(sdes:sending:)`, `WebRTCLeg+SDES`). Every packet
/// is handled on the socket's loop by one `WebRTCLegEngine`; this type is the
/// thread-safe handle to it.
public final class WebRTCLeg: Sendable {
    /// The local UDP port.
    public let port: Int
    /// Our ICE credentials.
    public let credentials: ICECredentials
    /// Our DTLS certificate fingerprint (SHA-256).
    public let fingerprint: Fingerprint
    /// Our SSRC.
    public let ssrc: UInt32
    /// What the leg reports, in order.
    public let events: AsyncStream<WebRTCLegEvent>
    /// Fresh random SRTP master key material for an SDES leg (`sdesLocalParameters`):
    /// a suite's key and salt are its first bytes. Unused by DTLS legs.
    let sdesKeyMaterial: [UInt8]

    let configuration: WebRTCLegConfiguration
    let channel: any Channel
    let engine: NIOLoopBound<WebRTCLegEngine>
    private let allocator: RTPPortAllocator

    /// Opens a leg: takes a port from `allocator`, binds it, and waits for `start`.
    /// `audio` is called once, on the leg's event loop, to make its audio port.
    public static func open(
        configuration: WebRTCLegConfiguration, allocator: RTPPortAllocator, group: any EventLoopGroup,
        logger: Logger, audio: @escaping @Sendable () -> any AudioPort
    ) async throws -> WebRTCLeg {
        let context = try WebRTCLegContext.shared()
        var random = SystemRandomNumberGenerator()
        let credentials = ICECredentials.random(using: &random)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        let keyMaterial = (0..<CryptoAttribute.Suite.longestKeyAndSalt).map { _ in UInt8.random(in: 0...255, using: &random) }
        let (events, continuation) = AsyncStream.makeStream(of: WebRTCLegEvent.self)
        for _ in 0..<16 {
            guard let port = allocator.allocate() else { throw MediaError.portsExhausted }
            let loop = group.next()
            let setup = WebRTCLegEngine.Setup(
                configuration: configuration, port: port, credentials: credentials, ssrc: ssrc,
                dtlsContext: context, logger: logger, emit: { event in
                    continuation.yield(event)
                    if event == .closed { continuation.finish() }
                })
            let slot = EngineSlot()
            do {
                let channel = try await DatagramBootstrap(group: loop)
                    .channelOption(.maxMessagesPerRead, value: 1)  // one datagram per wakeup is the norm: skip the EAGAIN read
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let engine = WebRTCLegEngine(setup: setup, audio: audio())
                            try channel.pipeline.syncOperations.addHandler(engine)
                            slot.engine.withLock { $0 = NIOLoopBound(engine, eventLoop: channel.eventLoop) }
                        }
                    }
                    .bind(host: configuration.bindHost, port: port).get()
                guard let engine = slot.engine.withLock({ $0 }) else { throw MediaError.portsExhausted }
                return WebRTCLeg(port: port, credentials: credentials, ssrc: ssrc, events: events, sdesKeyMaterial: keyMaterial,
                                 configuration: configuration, channel: channel,
                                 engine: engine, allocator: allocator,
                                 fingerprint: Fingerprint(hashFunction: "sha-256", bytes: context.certificate.fingerprint.bytes))
            } catch {
                allocator.release(port)
                logger.debug("WebRTC port busy, trying another", metadata: ["port": "\(port)", "error": "\(error)"])
            }
        }
        throw MediaError.portsExhausted
    }

    /// Hands the engine, bound to its loop, from the channel initializer to the opener.
    private final class EngineSlot: Sendable {
        let engine = Mutex<NIOLoopBound<WebRTCLegEngine>?>(nil)
    }

    private init(port: Int, credentials: ICECredentials, ssrc: UInt32, events: AsyncStream<WebRTCLegEvent>, sdesKeyMaterial: [UInt8],
                 configuration: WebRTCLegConfiguration, channel: any Channel,
                 engine: NIOLoopBound<WebRTCLegEngine>, allocator: RTPPortAllocator, fingerprint: Fingerprint) {
        self.port = port
        self.credentials = credentials
        self.ssrc = ssrc
        self.events = events
        self.sdesKeyMaterial = sdesKeyMaterial
        self.configuration = configuration
        self.channel = channel
        self.engine = engine
        self.allocator = allocator
        self.fingerprint = fingerprint
    }

    /// Our SDP parameters (candidates on this leg's port), for an offer or answer.
    public func localParameters(setup: SetupRole, sessionID: UInt64) -> WebRTCLocalParameters {
        let candidates = WebRTCLocalParameters.gatewayCandidates(
            hostAddresses: configuration.candidateAddresses, port: port, externalAddress: configuration.externalAddress)
        var parameters = WebRTCLocalParameters(
            iceUfrag: credentials.ufrag, icePwd: credentials.pwd, fingerprint: fingerprint, candidates: candidates,
            ssrc: ssrc, cname: "wagate-\(ssrc)", sessionID: sessionID, setup: setup)
        parameters.audioCodecs = configuration.audioCodecs
        return parameters
    }

    /// Starts ICE (and then DTLS) toward the peer described by its SDP.
    /// `ourSetup` is the `a=setup` we put in our own SDP. With `sending: false`
    /// the leg connects (ICE, DTLS, keys) and receives, but sends no RTP until
    /// `startSending()`: WhatsApp treats the first media packet as "answered".
    public func start(remote: WebRTCRemoteParameters, ourSetup: SetupRole, sending: Bool = true) {
        let engine = self.engine
        channel.eventLoop.execute { engine.value.start(remote: remote, ourSetup: ourSetup, sending: sending) }
    }

    /// Starts sending media on a leg started with `sending: false` (at answer).
    public func startSending() {
        let engine = self.engine
        channel.eventLoop.execute { engine.value.enableSending() }
    }

    /// Sends an RFC 4733 digit to the peer (ignored before media flows).
    public func sendDTMF(_ digit: Character, durationMs: Int = 160) {
        let engine = self.engine
        channel.eventLoop.execute { engine.value.queueDTMF(digit, durationMs: durationMs) }
    }

    /// Media statistics, read on the leg's loop.
    public func statistics() async -> WebRTCLegStatistics {
        let engine = self.engine
        return (try? await channel.eventLoop.submit { engine.value.statisticsSnapshot }.get()) ?? WebRTCLegStatistics()
    }

    /// Runs `body` with the leg's audio port on the leg's loop (to read what a
    /// recorder heard, for example).
    public func withAudioPort<T: Sendable>(_ body: @escaping @Sendable (any AudioPort) -> T) async throws -> T {
        let engine = self.engine
        return try await channel.eventLoop.submit { body(engine.value.audio) }.get()
    }

    /// Closes the socket, stops the timers and returns the port.
    public func close() async {
        try? await channel.close()
        allocator.release(port)
    }
}
