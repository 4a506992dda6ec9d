/// How a `MediaBridge` is built: the WhatsApp leg's settings and the SIP leg's.
///
/// The PCM rate of the WhatsApp leg's Opus codec is `webRTC.sampleRate` and
/// is fixed when the bridge opens (Opus encodes 8 and 16 kHz directly, so no
/// resampler runs when it equals the SIP codec's rate). Set it to the SIP
/// codec's rate when that is known at open (`SIPMediaCodec.sampleRate`: 8000
/// for G.711, 16000 for G.722); when the SIP codec turns out different later
/// (an inbound call whose SIP answer picks G.722 after an 8 kHz open), or when
/// the leg runs at 48 kHz as rtpengine's does, the bridge converts between the
/// two rates with speexdsp's polyphase resampler (`RateConverter`, about 10 µs
/// per direction per 20 ms at 8 ⇄ 48 kHz). Opus on the SIP side is passed
/// through and never decoded, whatever the rate.
public struct MediaBridgeConfiguration: Sendable {
    /// How the SIP leg treats the source address of RTP (symmetric RTP, RFC 4961).
    /// Sources are learnt by `RTPSourceLearner` (probation, never on a packet that
    /// does not parse); `strictRTP` decides whether other sources are dropped.
    public enum SymmetricRTP: Sendable, Hashable {
        /// Always send to the SDP address; take RTP only from the SDP's IP.
        case off
        /// Learn a source on the SDP's IP (its exact address at once, another
        /// port after probation), send there.
        case signalledAddress
        /// Also learn a source elsewhere after probation (phones behind NAT), send there.
        case anyAddress
    }

    /// The WhatsApp leg (mode `.gateway`; bind host, candidates, external
    /// address, Opus rate/bitrate/complexity, timeouts).
    public var webRTC: WebRTCLegConfiguration
    /// The address the SIP-side RTP socket binds.
    public var sipBindHost: String
    /// The jitter buffer's starting and smallest delay (SIP → WhatsApp).
    public var jitterBufferMin: Duration
    /// The jitter buffer's largest delay.
    public var jitterBufferMax: Duration
    /// A leg that receives no RTP this long (while it should) is reported dead.
    public var rtpInactivityTimeout: Duration
    /// Symmetric RTP on the SIP leg.
    public var symmetricRTP: SymmetricRTP
    /// Drop SIP-leg RTP/RTCP that is not from the learnt source (Asterisk `strictrtp`).
    public var strictRTP: Bool = true
    /// Valid RTP packets in a row a new SIP-leg source must send before it is learnt.
    public var rtpProbation: Int = 4
    /// Where to write a stereo WAV of the call (left: SIP, right: WhatsApp); nil: no recording.
    public var recordingDirectory: String?
    /// Whether the recording starts when the bridge opens (`[media] recording = yes`);
    /// otherwise only `MediaBridge.setRecording(true)` starts it.
    public var recordsFromStart: Bool = true
    /// A name for logs and the recording file (wagate's call id); letters, digits, `-`, `_`, `.` are kept.
    public var label: String
    /// The time source of both legs' timers (one clock per call, held by `webRTC`).
    public var clock: MediaClock {
        get { webRTC.clock }
        set { webRTC.clock = newValue }
    }

    /// Creates a configuration.
    public init(webRTC: WebRTCLegConfiguration, sipBindHost: String, jitterBufferMin: Duration = .milliseconds(20),
                jitterBufferMax: Duration = .milliseconds(200), rtpInactivityTimeout: Duration = .seconds(30),
                symmetricRTP: SymmetricRTP = .signalledAddress, recordingDirectory: String? = nil, label: String = "call") {
        self.webRTC = webRTC
        self.sipBindHost = sipBindHost
        self.jitterBufferMin = jitterBufferMin
        self.jitterBufferMax = jitterBufferMax
        self.rtpInactivityTimeout = rtpInactivityTimeout
        self.symmetricRTP = symmetricRTP
        self.recordingDirectory = recordingDirectory
        self.label = label
    }

    /// Milliseconds of a duration, rounded down.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// Which leg of a bridged call.
public enum MediaLeg: String, Sendable, Hashable {
    /// The SIP phone or PBX side (RTP/SRTP).
    case sip
    /// The WhatsApp side (WebRTC).
    case whatsapp
}

/// What a `MediaBridge` reports, in order. Consume the bridge's `events`
/// (not `webrtc.events`: the bridge consumes that stream and forwards it here).
public enum MediaBridgeEvent: Sendable, Equatable {
    /// The WhatsApp leg selected an ICE pair (description).
    case webrtcICEConnected(String)
    /// DTLS finished on the WhatsApp leg; SRTP is keyed (profile).
    case webrtcConnected(String)
    /// The first media packet arrived from WhatsApp.
    case webrtcMediaFlowing
    /// The WhatsApp leg failed: ICE, DTLS, consent lost, setup timeout (reason).
    case webrtcFailed(String)
    /// The first RTP packet arrived on the SIP leg; the bridge latched onto its source (address).
    case sipMediaFlowing(String)
    /// A leg received no RTP for the configured time while it should have: the call is dead.
    case rtpTimeout(MediaLeg, reason: String)
    /// A DTMF digit ended, as received from `from` (RFC 4733 from SIP or WhatsApp); duration in ms.
    case dtmf(Character, durationMs: Int, from: MediaLeg)
    /// The bridge closed; both ports are released.
    case closed
}
