import RTP

/// Per-call media figures of one leg.
public struct MediaLegStatistics: Sendable, Equatable {
    /// The codec on the wire (`PCMU`, `PCMA`, `G722`, `opus`).
    public var codec: String = ""
    /// RTP packets sent.
    public var packetsSent = 0
    /// RTP packets received.
    public var packetsReceived = 0
    /// Packets lost (sequence gaps), concealed where possible.
    public var packetsLost = 0
    /// Interarrival jitter (RFC 3550 A.8), ms.
    public var jitterMs = 0.0
    /// Round-trip time from RTCP, ms, when known.
    public var roundTripMs: Double?
    /// Estimated MOS (simplified E-model, narrowband scale, G.711-with-PLC impairment figures).
    public var mos = 0.0
    /// Creates zeroed figures.
    public init() {}

    /// Fills `mos` from the loss, jitter and RTT figures.
    mutating func estimateMOS() {
        let expected = packetsReceived + packetsLost
        let loss = expected > 0 ? Double(packetsLost) / Double(expected) : 0
        mos = MOSEstimate(lossRatio: loss, jitter: .microseconds(Int64(jitterMs * 1000)),
                          roundTripTime: .microseconds(Int64((roundTripMs ?? 0) * 1000))).mos
    }
}

/// Per-call media figures of a bridge.
public struct MediaBridgeStatistics: Sendable, Equatable {
    /// The SIP leg.
    public var sip = MediaLegStatistics()
    /// The WhatsApp leg.
    public var whatsapp = MediaLegStatistics()
    /// Whether packets are passed through (no transcoding).
    public var passThrough = false
    /// Frames synthesised by PLC for lost or late SIP packets.
    public var concealedFrames = 0
    /// SIP packets that arrived after their playout time.
    public var latePackets = 0
    /// The jitter buffer's current target delay, ms.
    public var jitterBufferMs = 0.0
    /// DTMF digits relayed SIP → WhatsApp and WhatsApp → SIP.
    public var digitsRelayed = 0
    /// RTCP reports sent on the SIP leg.
    public var rtcpSent = 0
    /// Processing latency added per frame, both directions (µs): p50.
    public var latencyP50Microseconds = 0.0
    /// Processing latency added per frame (µs): p99.
    public var latencyP99Microseconds = 0.0
    /// The call's WAV recordings, oldest first, separated by spaces; nil when none was made.
    public var recordingPath: String?
    /// Frames measured for the latency figures.
    public var latencySamples = 0
    /// The raw latency histogram (bucket `i` counts frames of `LatencyHistogram.bucketMicroseconds · i` µs and up).
    public var latencyHistogram: [Int] = []
    /// The business side: `sip` (a phone or trunk over RTP) or `browser` (a WebRTC leg).
    public var businessLeg = "sip"
    /// Opus frames encoded and decoded by the call's WebRTC legs: both 0 when a
    /// browser ⇄ WhatsApp or Opus phone ⇄ WhatsApp call is passed through.
    public var opusEncodedFrames = 0
    /// See `opusEncodedFrames`.
    public var opusDecodedFrames = 0
    /// Creates zeroed figures.
    public init() {}
}
