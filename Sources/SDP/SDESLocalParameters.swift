/// Our side of an SDES-keyed WhatsApp leg (Meta's SIP interface with
/// `srtp_key_exchange_protocol: SDES`): the address and port of the leg's one
/// socket, the SRTP master key material, and the RTP mapping. Everything is
/// supplied by the caller (the media leg); nothing here is generated.
public struct SDESLocalParameters: Hashable, Sendable {
    /// The `c=` address: the external address behind NAT, else the local one.
    public var address: String
    /// The `m=` port: the leg's socket (RTP and RTCP share it, see `SDESSDP`).
    public var port: Int
    /// Fresh random master key material, at least `CryptoAttribute.Suite.longestKeyAndSalt`
    /// bytes: a suite's key and salt are its first `keyAndSaltLength` bytes.
    public var keyMaterial: [UInt8]
    /// The suites offers list, in this order (`_80` then `_32`). Answers take the first
    /// suite of the offer that wagate supports at all (RFC 4568 §7.1.1: the offerer's order).
    public var offeredSuites: [CryptoAttribute.Suite] = [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32]
    /// Our one RTP SSRC.
    public var ssrc: UInt32
    /// Our RTCP CNAME (RFC 7022).
    public var cname: String
    /// The `o=` session id.
    public var sessionID: UInt64
    /// The `o=` session version.
    public var sessionVersion: UInt64 = 1
    /// Opus payload type in offers (answers echo the offer's): 111 as Meta uses.
    public var opusPayloadType: UInt8 = 111
    /// telephone-event payload type in offers (answers echo the offer's): 126 as Meta uses.
    public var telephoneEventPayloadType: UInt8 = 126
    /// Packet time in ms (20, as Meta sends).
    public var ptime = 20
    /// Opus fmtp; `nil` picks the style's default (`WebRTCSDP`'s gateway or Meta fmtp).
    public var opusFormatParameters: String?
    /// The audio codecs we take: offers list them in order; answers pick the first the
    /// offer lists that is also here. Opus always; PCMU/PCMA with `additional_codecs`.
    public var audioCodecs: [AudioCodec] = [.opus]
    /// Whether offers carry `a=rtcp-mux` (answers follow the offer).
    public var rtcpMux = true

    /// Creates local parameters with Meta-compatible defaults.
    /// - Parameters:
    ///   - address: the `c=` address.
    ///   - port: the leg's port.
    ///   - keyMaterial: random master key material (46 bytes or more).
    ///   - ssrc: our SSRC.
    ///   - cname: our CNAME.
    ///   - sessionID: the `o=` id.
    public init(address: String, port: Int, keyMaterial: [UInt8], ssrc: UInt32, cname: String, sessionID: UInt64) {
        self.address = address
        self.port = port
        self.keyMaterial = keyMaterial
        self.ssrc = ssrc
        self.cname = cname
        self.sessionID = sessionID
    }

    /// Our master key and salt for `suite`, or nil when the material is too short.
    public func keyAndSalt(for suite: CryptoAttribute.Suite) -> [UInt8]? {
        keyMaterial.count >= suite.keyAndSaltLength ? Array(keyMaterial.prefix(suite.keyAndSaltLength)) : nil
    }
}
