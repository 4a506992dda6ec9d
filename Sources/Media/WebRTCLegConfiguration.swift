public import SDP

/// How a WebRTC leg behaves and what it may use.
public struct WebRTCLegConfiguration: Sendable {
    /// How the leg does ICE (RFC 8445).
    public enum Mode: Sendable, Equatable {
        /// The gateway's side: a full ICE agent in the controlling role (Meta's
        /// media servers are lite); DTLS client when the SDP leaves it open.
        case gateway
        /// An ICE-lite endpoint in the controlled role (RFC 8445 §2.5), as
        /// Meta's media servers are: it answers checks and sends none. The
        /// sandbox's simulated WhatsApp user and the media tests play the far
        /// side of a call with it. The first nomination is final, as Meta's is.
        case iceLite
        /// wagate facing a browser: ICE-lite and controlled (the browser is the full,
        /// controlling agent), following the browser's latest authentic nomination
        /// (browsers renominate when their network changes), and the DTLS server
        /// unless the browser's SDP forces the other role.
        case browser
        /// Meta's SIP interface with SDES (RFC 4568): no ICE and no DTLS; SRTP is
        /// keyed from the SDP (`WebRTCLeg.start(sdes:sending:)`), media goes to and
        /// is taken only from the address the SDP names.
        case sdes
    }

    /// The role.
    public var mode: Mode
    /// The address the UDP socket binds (a wildcard is fine).
    public var bindHost: String
    /// Addresses put in host candidates, preferred first.
    public var candidateAddresses: [String]
    /// The public address behind NAT, advertised as an extra candidate.
    public var externalAddress: String?
    /// PCM sample rate of the audio port: 8000 (G.711), 16000 (G.722) or 48000.
    public var sampleRate: Int
    /// Opus target bitrate, bit/s.
    public var opusBitrate: Int
    /// Opus encoder complexity, 0–10.
    public var opusComplexity: Int
    /// Whether the encoder is held to the band its source holds (`AudioPort.highestAudioFrequency`).
    public var opusSourceBand = true
    /// How long ICE + DTLS may take before the leg reports failure.
    public var setupTimeout: Duration
    /// RFC 7675 consent: a check about this often after selection...
    public var consentInterval: Duration = .seconds(5)
    /// ...and the leg fails with consent lost after this long without a response.
    public var consentTimeout: Duration = .seconds(30)
    /// The codecs the leg takes, offered in this order: Opus, and PCMU/PCMA when
    /// the number has Meta's `additional_codecs` (G.711 needs `sampleRate` 8000).
    public var audioCodecs: [AudioCodec] = [.opus]
    /// The time source of the leg's timers (and of the bridge built on it).
    public var clock: MediaClock = .system

    /// Creates a configuration.
    public init(mode: Mode = .gateway, bindHost: String, candidateAddresses: [String], externalAddress: String? = nil,
                sampleRate: Int = 8000, opusBitrate: Int = 24_000, opusComplexity: Int = 5,
                setupTimeout: Duration = .seconds(15)) {
        self.mode = mode
        self.bindHost = bindHost
        self.candidateAddresses = candidateAddresses
        self.externalAddress = externalAddress
        self.sampleRate = sampleRate
        self.opusBitrate = opusBitrate
        self.opusComplexity = opusComplexity
        self.setupTimeout = setupTimeout
    }

    /// Samples in one 20 ms frame at `sampleRate`.
    public var samplesPerFrame: Int { sampleRate / 50 }
}

/// What a WebRTC leg reports.
public enum WebRTCLegEvent: Sendable, Equatable {
    /// ICE selected a pair (description of local → remote).
    case iceConnected(String)
    /// DTLS finished; SRTP keys are in place (profile name).
    case dtlsConnected(String)
    /// SRTP was keyed from the SDP (SDES suite name): an `.sdes` leg is connected
    /// as soon as it is started, there being no handshake to wait for.
    case sdesKeyed(String)
    /// The first media packet from the peer was decoded.
    case mediaFlowing
    /// An RFC 4733 digit ended (digit, duration in ms).
    case dtmf(Character, durationMs: Int)
    /// The leg failed: ICE, DTLS (fingerprint), consent loss or setup timeout.
    case failed(String)
    /// The peer ended the association on purpose (DTLS close_notify): a browser
    /// that closed its PeerConnection has left the call. The leg is finished.
    case peerClosed
    /// The leg was closed.
    case closed
}
