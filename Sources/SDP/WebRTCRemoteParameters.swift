/// What the WebRTC media leg needs from the peer's offer or answer (Meta's, or the
/// business's when we play the WhatsApp user): ICE credentials and candidates,
/// the DTLS fingerprint and role, and the RTP mapping.
public struct WebRTCRemoteParameters: Hashable, Sendable {
    /// Index of the audio `m=` line used.
    public var mediaIndex: Int
    /// The peer's ICE username fragment (media level wins, RFC 8839 §5.4).
    public var iceUfrag: String
    /// The peer's ICE password.
    public var icePwd: String
    /// The peer's candidates, as listed (RFC 8839 §5.1).
    public var candidates: [ICECandidate]
    /// The `c=`/`m=` default destination (RFC 8839 §4.2.1.2).
    public var defaultAddress: String?
    /// The `m=` port.
    public var defaultPort: Int
    /// The fingerprint to check the peer's certificate against: SHA-256 when offered,
    /// else the first one (RFC 8122 §5).
    public var fingerprint: Fingerprint
    /// All fingerprints given.
    public var fingerprints: [Fingerprint]
    /// The peer's `a=setup`, if any (RFC 4145 §4).
    public var setup: SetupRole?
    /// Whether the peer is ICE-lite (`a=ice-lite`, RFC 8839 §5.3): Meta is.
    public var isICELite: Bool
    /// The stream's `a=mid`.
    public var mid: String?
    /// Whether rtcp-mux was given (RFC 5761).
    public var rtcpMux: Bool
    /// The Opus payload type (111 when the peer did not list Opus).
    public var opusPayloadType: UInt8
    /// Every audio codec the peer listed that a WebRTC leg can carry (Opus,
    /// PCMU, PCMA), in the peer's order.
    public var audioPayloads: [WebRTCAudioPayload]
    /// The Opus fmtp, if any.
    public var opusParameters: FormatParameters?
    /// The telephone-event payload type (8000 Hz preferred), if any.
    public var telephoneEventPayloadType: UInt8?
    /// The telephone-event RTP clock rate, with the payload type.
    public var telephoneEventClockRate: Int?
    /// The peer's first SSRC, if announced.
    public var ssrc: UInt32?
    /// That SSRC's CNAME.
    public var cname: String?
    /// `a=ptime`, if any.
    public var ptime: Int?
    /// The stream's direction as the peer wrote it.
    public var direction: MediaDirection

    /// Extracts the parameters from a WebRTC SDP.
    /// - Parameter sdp: the peer's offer or answer.
    /// - Throws: `SDPError.Kind.missingAttribute` when there is no DTLS-SRTP audio
    ///   stream, no ICE credentials, no fingerprint, or neither Opus nor G.711.
    public init(_ sdp: SessionDescription) throws(SDPError) {
        guard let index = sdp.media.firstIndex(where: { $0.kind == "audio" && !$0.isRejected }) else {
            throw SDPError(.missingAttribute, "no audio stream")
        }
        let media = sdp.media[index]
        guard media.isDTLSProfile else {
            throw SDPError(.missingAttribute, "the audio stream uses \(media.proto), not UDP/TLS/RTP/SAVPF (DTLS-SRTP)")
        }
        guard let credentials = sdp.iceCredentials(of: media) else {
            throw SDPError(.missingAttribute, "no a=ice-ufrag and a=ice-pwd")
        }
        let fingerprints = sdp.fingerprints(of: media)
        guard let fingerprint = fingerprints.first(where: { $0.hashFunction == "sha-256" }) ?? fingerprints.first else {
            throw SDPError(.missingAttribute, "no a=fingerprint")
        }
        let payloads = WebRTCAudioPayload.listed(in: media)
        guard !payloads.isEmpty else {
            throw SDPError(.missingAttribute, "no opus/48000 (nor PCMU/PCMA) in the audio stream")
        }
        let opus = payloads.first { $0.codec == .opus }?.payloadType
        let events = media.payloadTypes.compactMap { payloadType -> RTPMap? in
            guard let map = media.rtpMap(for: payloadType), map.encodingName.lowercased() == TelephoneEvent.encodingName else { return nil }
            return map
        }
        let event = events.first { $0.clockRate == TelephoneEvent.clockRate } ?? events.first
        let ssrc = media.ssrcs.first
        self.mediaIndex = index
        self.iceUfrag = credentials.ufrag
        self.icePwd = credentials.pwd
        self.candidates = media.candidates
        self.defaultAddress = sdp.connection(of: media)?.address
        self.defaultPort = media.port
        self.fingerprint = fingerprint
        self.fingerprints = fingerprints
        self.setup = sdp.setup(of: media)
        self.isICELite = sdp.isICELite
        self.mid = media.mid
        self.rtcpMux = media.rtcpMux
        self.opusPayloadType = opus ?? 111
        self.opusParameters = opus.flatMap { media.formatParameters(for: $0) }
        self.audioPayloads = payloads
        self.telephoneEventPayloadType = event?.payloadType
        self.telephoneEventClockRate = event?.clockRate
        self.ssrc = ssrc
        self.cname = ssrc.flatMap { media.cname(of: $0) }
        self.ptime = media.ptime
        self.direction = sdp.effectiveDirection(of: media)
    }

    /// Parses and extracts in one step.
    /// - Parameter bytes: the peer's SDP (e.g. from a webhook's `session.sdp`).
    /// - Throws: `SDPError` from parsing or extraction.
    public init(parsing bytes: some Collection<UInt8>) throws(SDPError) {
        try self.init(SessionDescription(parsing: bytes))
    }

    /// The codec the leg uses with this peer: the first the peer listed that
    /// `allowed` contains (the same rule `WebRTCSDP.answer` applies), or nil.
    /// - Parameter allowed: the codecs our side takes.
    public func audioPayload(allowed: [AudioCodec]) -> WebRTCAudioPayload? {
        audioPayloads.first { allowed.contains($0.codec) }
    }

    /// Whether we are the DTLS client, given our own `a=setup`; `nil` if undecided.
    /// - Parameter ours: the role we wrote (e.g. `.active` in our answer).
    public func weAreDTLSClient(ourSetup ours: SetupRole) -> Bool? {
        ours.isDTLSClient(peer: setup ?? .actpass)
    }
}

/// One audio codec of a WebRTC stream and its payload type.
public struct WebRTCAudioPayload: Hashable, Sendable {
    /// Opus, PCMU or PCMA.
    public var codec: AudioCodec
    /// Its payload type.
    public var payloadType: UInt8

    /// Creates one.
    public init(codec: AudioCodec, payloadType: UInt8) {
        self.codec = codec
        self.payloadType = payloadType
    }

    /// The codecs a WebRTC leg can carry.
    public static let carried: [AudioCodec] = [.opus, .pcmu, .pcma]

    /// The carried codecs a media section lists, in its order.
    static func listed(in media: MediaDescription) -> [WebRTCAudioPayload] {
        media.payloadTypes.compactMap { payloadType in
            guard let map = media.rtpMap(for: payloadType), let codec = AudioCodec(map), carried.contains(codec) else { return nil }
            return WebRTCAudioPayload(codec: codec, payloadType: payloadType)
        }
    }
}
