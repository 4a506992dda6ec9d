// The [media] section: codecs, packetisation, Opus, jitter buffer, timeouts,
// recording and DTMF.

/// The `[media]` section.
public struct MediaConfig: Sendable, Equatable {
    /// SIP-side codec preference, most preferred first, no repeats.
    public var codecs: [Codec]
    /// The packetisation time: 10, 20, 30 or 40 ms.
    public var ptime: Duration
    /// The Opus encoder complexity, 0–10.
    public var opusComplexity: Int
    /// The Opus target bitrate in bits per second, 6000–510000.
    public var opusBitrate: Int
    /// Whether the Opus encoder adds in-band forward error correction.
    public var opusFEC: Bool
    /// Whether the Opus encoder codes no wider band than the SIP codec holds
    /// (narrowband for G.711, wideband for G.722) instead of letting libopus
    /// choose (`opus_source_band`).
    public var opusSourceBand: Bool = true
    /// The smallest jitter buffer depth.
    public var jitterBufferMin: Duration
    /// The largest jitter buffer depth (at most 1 s).
    public var jitterBufferMax: Duration
    /// Hang up after this long without RTP; nil never does.
    public var rtpTimeout: Duration?
    /// Send RTP to where the peer's RTP comes from, not where its SDP says.
    public var symmetricRTP: Bool
    /// Drop SIP-leg RTP and RTCP that does not come from the learnt source (`strict_rtp`).
    public var strictRTP: Bool = true
    /// Valid RTP packets in a row a new SIP-leg source must send before it is learnt (`rtp_probation`).
    public var rtpProbation: Int = 4
    /// The directory recordings are written to; nil when recording is off.
    public var recordingDirectory: String?
    /// Whether every call records from its start, or only when an operator asks (`recording`).
    public var recordingMode: RecordingMode = .off
    /// How DTMF digits are carried on the SIP side.
    public var dtmf: DTMFMode
    /// New calls are refused while the least busy media event loop's measured busy
    /// ratio (thread CPU time per wall time) is at or above this (`admission_max_busy`);
    /// nil admits regardless of load.
    public var admissionMaxBusy: Double? = 0.85

    /// The defaults used for every key the file leaves out.
    public static let defaults = MediaConfig(
        codecs: [.pcmu, .pcma, .g722, .opus], ptime: .milliseconds(20), opusComplexity: 5, opusBitrate: 24000,
        opusFEC: true, jitterBufferMin: .milliseconds(20), jitterBufferMax: .milliseconds(200),
        rtpTimeout: .seconds(30), symmetricRTP: true, recordingDirectory: nil, dtmf: .rfc4733)

    /// Creates a `[media]` configuration.
    public init(
        codecs: [Codec], ptime: Duration, opusComplexity: Int, opusBitrate: Int, opusFEC: Bool,
        jitterBufferMin: Duration, jitterBufferMax: Duration, rtpTimeout: Duration?, symmetricRTP: Bool,
        recordingDirectory: String?, dtmf: DTMFMode
    ) {
        self.codecs = codecs
        self.ptime = ptime
        self.opusComplexity = opusComplexity
        self.opusBitrate = opusBitrate
        self.opusFEC = opusFEC
        self.jitterBufferMin = jitterBufferMin
        self.jitterBufferMax = jitterBufferMax
        self.rtpTimeout = rtpTimeout
        self.symmetricRTP = symmetricRTP
        self.recordingDirectory = recordingDirectory
        self.dtmf = dtmf
    }

    /// `ptime` in whole milliseconds, as SDP's `a=ptime` writes it.
    public var ptimeMilliseconds: Int {
        Int(ptime.components.seconds) * 1000 + Int(ptime.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// A SIP-side audio codec.
public enum Codec: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// G.711 µ-law (RTP payload type 0). Alias in the file: `ulaw`.
    case pcmu
    /// G.711 A-law (RTP payload type 8). Alias in the file: `alaw`.
    case pcma
    /// G.722 wideband (RTP payload type 9).
    case g722
    /// Opus (dynamic payload type).
    case opus

    /// Looks up a codec by its name or an Asterisk alias (`ulaw`, `alaw`), case-insensitively.
    public init?(name: String) {
        switch TextScanning.asciiLowercased(name) {
        case "pcmu", "ulaw": self = .pcmu
        case "pcma", "alaw": self = .pcma
        case "g722": self = .g722
        case "opus": self = .opus
        default: return nil
        }
    }

    /// The lowercase name.
    public var description: String { rawValue }
}

/// How DTMF digits travel on the SIP side.
public enum DTMFMode: String, Sendable, Equatable, CaseIterable {
    /// RTP telephone-event packets (RFC 4733).
    case rfc4733
    /// SIP INFO requests (application/dtmf-relay).
    case info
}
