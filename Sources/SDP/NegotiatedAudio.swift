/// What the media layer needs from a completed SIP-side offer/answer exchange.
public struct NegotiatedAudio: Hashable, Sendable {
    /// One codec both sides agreed on, with the payload type to use on the wire.
    public struct Codec: Hashable, Sendable {
        /// The codec.
        public var codec: AudioCodec
        /// Its payload type in this session (the offerer's number, RFC 3264 §6.1).
        public var payloadType: UInt8

        /// Creates a codec/payload-type pair.
        public init(codec: AudioCodec, payloadType: UInt8) {
            self.codec = codec
            self.payloadType = payloadType
        }
    }

    /// SDES-SRTP keys agreed on (RFC 4568).
    public struct SDES: Hashable, Sendable {
        /// The chosen suite.
        public var suite: CryptoAttribute.Suite
        /// The tag of the accepted crypto line.
        public var tag: UInt32
        /// Our master key and salt: we protect what we send with it.
        public var localKeyAndSalt: [UInt8]
        /// The peer's master key and salt: we unprotect what we receive with it.
        public var remoteKeyAndSalt: [UInt8]

        /// Creates SDES parameters.
        public init(suite: CryptoAttribute.Suite, tag: UInt32, localKeyAndSalt: [UInt8], remoteKeyAndSalt: [UInt8]) {
            self.suite = suite
            self.tag = tag
            self.localKeyAndSalt = localKeyAndSalt
            self.remoteKeyAndSalt = remoteKeyAndSalt
        }
    }

    /// Index of the audio `m=` line in the offer (and answer).
    public var mediaIndex: Int
    /// The agreed codecs, the one to send first.
    public var codecs: [Codec]
    /// The telephone-event/8000 payload type, if both sides use RFC 4733.
    public var telephoneEventPayloadType: UInt8?
    /// The packet time in ms to send with.
    public var ptime: Int
    /// The peer's RTP address (`0.0.0.0` on a legacy hold).
    public var remoteAddress: String
    /// The peer's RTP port.
    public var remotePort: Int
    /// The peer's RTCP port: `a=rtcp` (RFC 3605), the RTP port with rtcp-mux, else RTP + 1.
    public var remoteRTCPPort: Int
    /// Whether RTP and RTCP share one port (RFC 5761).
    public var rtcpMux: Bool
    /// What we do on this stream after the exchange (e.g. `recvonly` when held).
    public var localDirection: MediaDirection
    /// How the peer's latest SDP holds the stream.
    public var remoteHold: HoldState
    /// The peer's Opus fmtp, when Opus was chosen (RFC 7587 §6.1).
    public var remoteOpusParameters: FormatParameters?
    /// SDES keys, when the stream is RTP/SAVP.
    public var sdes: SDES?

    /// The codec to send: the first agreed one.
    public var primary: Codec {
        codecs[0]
    }

    /// Whether we should send media.
    public var sends: Bool {
        localDirection.sends
    }

    /// Whether we should expect media.
    public var receives: Bool {
        localDirection.receives
    }
}
