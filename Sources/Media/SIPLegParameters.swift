public import SDP

/// The codec on the SIP leg, with what the bridge needs to know about it.
public enum SIPMediaCodec: Sendable, Hashable {
    /// G.711 µ-law (PCMU), 8 kHz.
    case pcmu
    /// G.711 A-law (PCMA), 8 kHz.
    case pcma
    /// G.722, 16 kHz audio on an 8 kHz RTP clock (RFC 3551 §4.5.2).
    case g722
    /// Opus with its dynamic payload type: passed through to WhatsApp untranscoded.
    case opus(payloadType: UInt8)

    /// The PCM rate the codec carries (Opus: 48 kHz, though it is never decoded here).
    public var sampleRate: Int {
        switch self {
        case .pcmu, .pcma: 8_000
        case .g722: 16_000
        case .opus: 48_000
        }
    }

    /// The RTP clock rate of the codec's timestamps.
    public var rtpClockRate: Int {
        if case .opus = self { return 48_000 }
        return 8_000
    }

    /// Whether the bridge passes packets through instead of transcoding.
    public var isPassThrough: Bool {
        if case .opus = self { return true }
        return false
    }

    /// The name used in statistics and logs.
    public var name: String {
        switch self {
        case .pcmu: "PCMU"
        case .pcma: "PCMA"
        case .g722: "G722"
        case .opus: "opus"
        }
    }

    /// The codec for a negotiated SDP codec and payload type.
    public init(_ codec: AudioCodec, payloadType: UInt8) {
        switch codec {
        case .pcmu: self = .pcmu
        case .pcma: self = .pcma
        case .g722: self = .g722
        case .opus: self = .opus(payloadType: payloadType)
        }
    }
}

/// What the bridge does on the SIP leg: our own direction after the offer/answer
/// (`NegotiatedAudio.localDirection`). `recvonly` and `inactive` are holds:
/// the bridge stops sending to the SIP peer but keeps feeding WhatsApp
/// (silence when nothing arrives) so Meta does not drop the call.
public enum SIPMediaDirection: String, Sendable, Hashable {
    /// Send and receive.
    case sendrecv
    /// We send; we expect nothing (the peer offered `recvonly`).
    case sendonly
    /// We receive (e.g. music on hold); we send nothing (the peer offered `sendonly`).
    case recvonly
    /// Neither (the peer offered `inactive`).
    case inactive

    /// Whether we send RTP to the SIP peer.
    public var sends: Bool { self == .sendrecv || self == .sendonly }
    /// Whether we take RTP from the SIP peer (and expect it for the inactivity timeout).
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The direction from SDP's.
    public init(_ direction: MediaDirection) {
        switch direction {
        case .sendrecv: self = .sendrecv
        case .sendonly: self = .sendonly
        case .recvonly: self = .recvonly
        case .inactive: self = .inactive
        }
    }
}

/// SDES-SRTP keys for the SIP leg (RFC 4568): the suite name of the accepted
/// `a=crypto` line, our key (we protect with it) and the peer's.
public struct SIPSDESKeys: Sendable, Hashable {
    /// The suite, e.g. `AES_CM_128_HMAC_SHA1_80`.
    public var suite: String
    /// Our master key followed by the master salt.
    public var localKeyAndSalt: [UInt8]
    /// The peer's master key followed by the master salt.
    public var remoteKeyAndSalt: [UInt8]

    /// Creates keys.
    public init(suite: String, localKeyAndSalt: [UInt8], remoteKeyAndSalt: [UInt8]) {
        self.suite = suite
        self.localKeyAndSalt = localKeyAndSalt
        self.remoteKeyAndSalt = remoteKeyAndSalt
    }
}

/// The SIP leg as negotiated in SDP: given to `MediaBridge.setSIPLeg` at
/// answer and again on every re-INVITE/UPDATE (hold, resume, new address).
public struct SIPLegParameters: Sendable, Hashable {
    /// The codec.
    public var codec: SIPMediaCodec
    /// Its payload type on the wire.
    public var payloadType: UInt8
    /// The telephone-event/8000 payload type, if negotiated (RFC 4733).
    public var telephoneEventPayloadType: UInt8?
    /// Packet time in ms: 10, 20, 30 or 40 (clamped to that range, in 10 ms steps).
    public var ptime: Int
    /// The peer's RTP address from `c=` (`0.0.0.0` means a legacy hold).
    public var remoteAddress: String
    /// The peer's RTP port from `m=`.
    public var remotePort: Int
    /// The peer's RTCP port (`a=rtcp`, RFC 3605); nil: RTP port + 1.
    public var remoteRTCPPort: Int?
    /// Whether RTCP shares the RTP port (RFC 5761).
    public var rtcpMux: Bool
    /// Our direction on the SIP leg.
    public var direction: SIPMediaDirection
    /// SDES-SRTP keys when the stream is RTP/SAVP; nil for plain RTP.
    public var sdes: SIPSDESKeys?

    /// Creates parameters.
    public init(codec: SIPMediaCodec, payloadType: UInt8? = nil, telephoneEventPayloadType: UInt8? = nil, ptime: Int = 20,
                remoteAddress: String, remotePort: Int, remoteRTCPPort: Int? = nil, rtcpMux: Bool = false,
                direction: SIPMediaDirection = .sendrecv, sdes: SIPSDESKeys? = nil) {
        self.codec = codec
        switch codec {
        case .pcmu: self.payloadType = payloadType ?? 0
        case .pcma: self.payloadType = payloadType ?? 8
        case .g722: self.payloadType = payloadType ?? 9
        case .opus(let opusType): self.payloadType = payloadType ?? opusType
        }
        self.telephoneEventPayloadType = telephoneEventPayloadType
        self.ptime = ptime
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.remoteRTCPPort = remoteRTCPPort
        self.rtcpMux = rtcpMux
        self.direction = direction
        self.sdes = sdes
    }

    /// The parameters of a completed SIP offer/answer exchange.
    public init(_ negotiated: NegotiatedAudio) {
        let primary = negotiated.primary
        self.init(codec: SIPMediaCodec(primary.codec, payloadType: primary.payloadType), payloadType: primary.payloadType,
                  telephoneEventPayloadType: negotiated.telephoneEventPayloadType, ptime: negotiated.ptime,
                  remoteAddress: negotiated.remoteAddress, remotePort: negotiated.remotePort,
                  remoteRTCPPort: negotiated.remoteRTCPPort, rtcpMux: negotiated.rtcpMux,
                  direction: SIPMediaDirection(negotiated.localDirection),
                  sdes: negotiated.sdes.map {
                      SIPSDESKeys(suite: $0.suite.rawValue, localKeyAndSalt: $0.localKeyAndSalt, remoteKeyAndSalt: $0.remoteKeyAndSalt)
                  })
    }

    /// The packet time used: 10–40 ms in 10 ms steps.
    var effectivePtime: Int { min(40, max(10, (ptime + 5) / 10 * 10)) }
}
