/// The audio codecs wagate negotiates on the SIP side (RFC 3551 §4.5, RFC 7587).
public enum AudioCodec: String, Hashable, Sendable, CaseIterable {
    /// G.711 µ-law, static payload type 0.
    case pcmu
    /// G.711 A-law, static payload type 8.
    case pcma
    /// G.722, static payload type 9: 16 kHz audio, but an RTP clock of 8000
    /// (an error in RFC 1890 kept for compatibility, RFC 3551 §4.5.2).
    case g722
    /// Opus, dynamic payload type, always `opus/48000/2` (RFC 7587 §7).
    case opus

    /// The encoding name for `a=rtpmap`.
    public var encodingName: String {
        switch self {
        case .pcmu: return "PCMU"
        case .pcma: return "PCMA"
        case .g722: return "G722"
        case .opus: return "opus"
        }
    }

    /// The RTP clock rate written in `a=rtpmap` and used for timestamps.
    public var rtpClockRate: Int {
        self == .opus ? 48_000 : 8_000
    }

    /// The audio sample rate the codec actually carries.
    public var sampleRate: Int {
        switch self {
        case .pcmu, .pcma: return 8_000
        case .g722: return 16_000
        case .opus: return 48_000
        }
    }

    /// The channel count written in `a=rtpmap` (`nil` when omitted).
    public var rtpmapChannels: Int? {
        self == .opus ? 2 : nil
    }

    /// The static payload type, or `nil` for a dynamic one (RFC 3551 §6).
    public var staticPayloadType: UInt8? {
        switch self {
        case .pcmu: return 0
        case .pcma: return 8
        case .g722: return 9
        case .opus: return nil
        }
    }

    /// Whether an rtpmap (explicit or static) denotes this codec. Names compare
    /// case-insensitively; Opus is accepted with any channel count (RFC 7587 §7
    /// mandates 2, some clients write 1).
    /// - Parameter map: the offered mapping.
    public func matches(_ map: RTPMap) -> Bool {
        map.matches(encodingName, clockRate: rtpClockRate)
    }

    /// The rtpmap this codec uses with a payload type.
    /// - Parameter payloadType: the payload type to map.
    public func rtpMap(payloadType: UInt8) -> RTPMap {
        RTPMap(payloadType: payloadType, encodingName: encodingName, clockRate: rtpClockRate, channels: rtpmapChannels)
    }

    /// The codec an rtpmap denotes, if wagate supports it.
    /// - Parameter map: an rtpmap.
    public init?(_ map: RTPMap) {
        guard let codec = AudioCodec.allCases.first(where: { $0.matches(map) }) else { return nil }
        self = codec
    }
}

/// RFC 4733 telephone events as wagate uses them: always at an 8000 Hz clock.
public enum TelephoneEvent {
    /// The encoding name in `a=rtpmap`.
    public static let encodingName = "telephone-event"
    /// The RTP clock rate wagate uses for events on both legs.
    public static let clockRate = 8_000
    /// The events offered and answered on the SIP side: DTMF 0–9, *, #, A–D, flash.
    public static let sipEvents = "0-16"
    /// The events used toward WhatsApp: DTMF only.
    public static let webRTCEvents = "0-15"

    /// The payload type of the first `telephone-event/8000` mapping in a stream.
    /// - Parameter media: an offered or answered stream.
    public static func payloadType(in media: MediaDescription) -> UInt8? {
        media.payloadTypes.first { payloadType in
            media.rtpMap(for: payloadType)?.matches(encodingName, clockRate: clockRate) == true
        }
    }
}
