/// What an SDES-keyed WhatsApp leg needs from a completed offer/answer: where
/// the peer's RTP and RTCP go, the codec, and both SRTP master keys.
public struct SDESMediaParameters: Hashable, Sendable {
    /// The peer's RTP address (`c=`, an IP literal: host names are refused).
    public var remoteAddress: String
    /// The peer's RTP port (`m=`).
    public var remotePort: Int
    /// The peer's RTCP port: its RTP port with rtcp-mux, else `a=rtcp` (RFC 3605), else RTP + 1.
    public var remoteRTCPPort: Int
    /// Whether RTP and RTCP share one port (RFC 5761).
    public var rtcpMux: Bool
    /// The suite, the accepted line's tag, our key (what we send) and the peer's (what we receive).
    public var keys: NegotiatedAudio.SDES
    /// The audio codec on the wire and its payload type.
    public var audio: WebRTCAudioPayload
    /// The telephone-event/8000 payload type, when both sides list it (RFC 4733).
    public var telephoneEventPayloadType: UInt8?
    /// The peer's announced SSRC, if any (RFC 5576).
    public var remoteSSRC: UInt32?

    /// Creates the parameters.
    public init(remoteAddress: String, remotePort: Int, remoteRTCPPort: Int, rtcpMux: Bool, keys: NegotiatedAudio.SDES,
                audio: WebRTCAudioPayload, telephoneEventPayloadType: UInt8? = nil, remoteSSRC: UInt32? = nil) {
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.remoteRTCPPort = remoteRTCPPort
        self.rtcpMux = rtcpMux
        self.keys = keys
        self.audio = audio
        self.telephoneEventPayloadType = telephoneEventPayloadType
        self.remoteSSRC = remoteSSRC
    }
}
