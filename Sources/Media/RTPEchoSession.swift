public import Codecs
public import Logging
public import NIOCore
import NIOPosix
import RTP

/// The echo test's media: every G.711 packet received is decoded, re-encoded
/// and sent back to where it came from (symmetric RTP), with our own SSRC and
/// sequence/timestamp offsets; RFC 4733 events are returned as they are. It
/// proves registration, dialogs, SDP and RTP together, and the codec path.
///
/// One UDP channel per call on one NIO event loop; the handler's state lives on
/// that loop only.
public final class RTPEchoSession: Sendable {
    /// The local RTP port.
    public let port: Int
    private let channel: any Channel
    private let allocator: RTPPortAllocator

    /// What was negotiated for the echo call.
    public struct Parameters: Sendable {
        /// PCMU or PCMA.
        public var law: G711Codec.Law
        /// The payload type the phone uses for G.711 (0 or 8).
        public var payloadType: UInt8
        /// The telephone-event payload type, if negotiated.
        public var telephoneEventPayloadType: UInt8?
        /// The phone's RTP address from its SDP (an IP literal), if any.
        public var remote: SocketAddress?
        /// Whether a source other than the SDP's IP may be learnt (phones behind NAT).
        public var learnsAnySource: Bool
        /// Valid RTP packets in a row a new source must send before it is echoed to.
        public var probation: Int
        /// The time source of source learning.
        public var clock: MediaClock = .system
        /// Creates parameters.
        public init(law: G711Codec.Law, payloadType: UInt8, telephoneEventPayloadType: UInt8?,
                    remote: SocketAddress? = nil, learnsAnySource: Bool = true, probation: Int = 4) {
            self.law = law
            self.payloadType = payloadType
            self.telephoneEventPayloadType = telephoneEventPayloadType
            self.remote = remote
            self.learnsAnySource = learnsAnySource
            self.probation = probation
        }
    }

    private init(port: Int, channel: any Channel, allocator: RTPPortAllocator) {
        self.port = port
        self.channel = channel
        self.allocator = allocator
    }

    /// Binds a port from `allocator` on `host` and starts echoing. Throws
    /// `MediaError.portsExhausted` when no port is free (the caller answers 503).
    /// With `inactivityTimeout`, `onInactive` is called once when no echoable
    /// packet arrived for that long (counted from the start, like Asterisk's `rtptimeout`).
    public static func start(host: String, allocator: RTPPortAllocator, parameters: Parameters,
                             group: any EventLoopGroup, inactivityTimeout: Duration? = nil,
                             onInactive: @escaping @Sendable () -> Void = {},
                             logger: Logger) async throws -> RTPEchoSession {
        for _ in 0..<16 {
            guard let port = allocator.allocate() else { throw MediaError.portsExhausted }
            do {
                let channel = try await DatagramBootstrap(group: group)
                    .channelOption(.socketOption(.so_reuseaddr), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            // The codec is created on the channel's loop and never leaves it.
                            let codec = try G711Codec(parameters.law)
                            let handler = EchoHandler(codec: codec, parameters: parameters)
                            try channel.pipeline.syncOperations.addHandler(handler)
                            if let inactivityTimeout {
                                handler.watchInactivity(on: channel.eventLoop, timeout: inactivityTimeout, onInactive)
                            }
                        }
                    }
                    .bind(host: host, port: port).get()
                return RTPEchoSession(port: port, channel: channel, allocator: allocator)
            } catch {
                allocator.release(port)
                logger.debug("RTP port busy, trying another", metadata: ["port": "\(port)", "error": "\(error)"])
            }
        }
        throw MediaError.portsExhausted
    }

    /// Follows a late or renegotiated answer: echoes to the phone's SDP address
    /// (until symmetric RTP learns another) and passes its telephone-event
    /// payload type. The law stays the one the session started with.
    public func follow(remote: SocketAddress?, telephoneEventPayloadType: UInt8?) {
        channel.eventLoop.execute { [channel] in
            guard let handler = try? channel.pipeline.syncOperations.handler(type: EchoHandler.self) else { return }
            handler.follow(remote: remote, telephoneEventPayloadType: telephoneEventPayloadType)
        }
    }

    /// Stops echoing and releases the port.
    public func stop() async {
        try? await channel.close()
        allocator.release(port)
    }
}

/// Per-packet echo on the channel's event loop. Buffers are reused; the only
/// allocation per packet is NIO's outgoing ByteBuffer. Packets are echoed only
/// to the source `RTPSourceLearner` accepted (the SDP address, or a source that
/// passed probation), so a stranger cannot turn the echo port into a reflector.
private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let codec: G711Codec
    private var parameters: RTPEchoSession.Parameters
    private var pcm = [Int16](repeating: 0, count: 2048)
    private let ssrc = UInt32.random(in: 1...UInt32.max)
    private let sequenceOffset = UInt16.random(in: 0...UInt16.max)
    private let timestampOffset = UInt32.random(in: 0...UInt32.max)
    /// Echoed packets since the inactivity check last looked; event-loop confined.
    private var packetsSinceCheck = 0
    private var watchdog: RepeatedTask?
    private var silentChecks = 0
    private var silentChecksAllowed = Int.max

    private var sources: RTPSourceLearner<SocketAddress>

    init(codec: G711Codec, parameters: RTPEchoSession.Parameters) {
        self.codec = codec
        self.parameters = parameters
        sources = RTPSourceLearner(probation: parameters.probation, learnsAnySource: parameters.learnsAnySource)
        sources.reset(signalled: parameters.remote)
    }

    /// Checks once a second (at most) whether packets arrived; reports once after `timeout` of silence.
    func watchInactivity(on loop: any EventLoop, timeout: Duration, _ onInactive: @escaping @Sendable () -> Void) {
        let nanos = max(1, timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let period = TimeAmount.nanoseconds(min(1_000_000_000, nanos))
        silentChecksAllowed = Int(max(1, (nanos + period.nanoseconds - 1) / period.nanoseconds))
        let bound = NIOLoopBound(self, eventLoop: loop)
        watchdog = loop.scheduleRepeatedTask(initialDelay: period, delay: period) { task in
            guard bound.value.silentAfterCheck() else { return }
            task.cancel()
            onInactive()
        }
    }

    /// One inactivity check: true once the allowed number of silent checks is reached.
    private func silentAfterCheck() -> Bool {
        silentChecks = packetsSinceCheck > 0 ? 0 : silentChecks + 1
        packetsSinceCheck = 0
        return silentChecks >= silentChecksAllowed
    }

    /// A new answer's address and telephone-event type; a new address restarts source learning.
    func follow(remote: SocketAddress?, telephoneEventPayloadType: UInt8?) {
        parameters.telephoneEventPayloadType = telephoneEventPayloadType
        guard remote != parameters.remote else { return }
        parameters.remote = remote
        sources.reset(signalled: remote)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        watchdog?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard sources.mayAdmit(envelope.remoteAddress) else { return }
        let reply: ByteBuffer? = envelope.data.withUnsafeReadableBytes { bytes in
            guard let (header, payload) = RTPHeader.parse(bytes) else { return nil }
            let isEvent = header.payloadType == parameters.telephoneEventPayloadType
            guard header.payloadType == parameters.payloadType || isEvent else { return nil }
            guard sources.admit(envelope.remoteAddress, ssrc: header.ssrc, sequence: header.sequenceNumber,
                                now: parameters.clock.uptimeNanoseconds()) != .drop else { return nil }
            var out = RTPHeader(marker: header.marker, payloadType: header.payloadType,
                                sequenceNumber: header.sequenceNumber &+ sequenceOffset,
                                timestamp: header.timestamp &+ timestampOffset, ssrc: ssrc)
            var buffer = context.channel.allocator.buffer(capacity: RTPHeader.size + payload.count)
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: RTPHeader.size + payload.count) { target in
                out.write(to: target)
                let body = UnsafeMutableRawBufferPointer(rebasing: target[RTPHeader.size..<(RTPHeader.size + payload.count)])
                if isEvent {
                    body.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[payload]))
                    return RTPHeader.size + payload.count
                }
                return pcm.withUnsafeMutableBufferPointer { samples in
                    let decoded = codec.decode(UnsafeRawBufferPointer(rebasing: bytes[payload]), into: samples)
                    let encoded = codec.encode(UnsafeBufferPointer(rebasing: samples[0..<decoded]),
                                               into: body.bindMemory(to: UInt8.self))
                    return RTPHeader.size + encoded
                }
            }
            out.marker = false
            return buffer
        }
        if let reply {
            packetsSinceCheck &+= 1
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
        }
    }
}
