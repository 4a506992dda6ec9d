/// What wagate offers and accepts on the SIP side, typically one value per trunk
/// or phone profile from the configuration. Per-call inputs are in `SIPLocalMedia`.
public struct SIPAudioConfiguration: Hashable, Sendable {
    /// Whether SDES-SRTP (RTP/SAVP with `a=crypto`, RFC 4568) is used.
    public enum SRTPPolicy: String, Hashable, Sendable {
        /// Plain RTP only; RTP/SAVP offers are rejected.
        case disabled
        /// Answer RTP/AVP with RTP/AVP and RTP/SAVP with RTP/SAVP; offer RTP/AVP.
        case optional
        /// RTP/SAVP only; RTP/AVP offers are rejected and offers use RTP/SAVP.
        case required
    }

    /// Our codecs, most preferred first (e.g. `[.pcmu, .pcma, .g722, .opus]`).
    public var codecs: [AudioCodec]
    /// Whether RFC 4733 telephone-event/8000 is offered and accepted.
    public var telephoneEvent: Bool
    /// The payload type for Opus in our offers (answers echo the offer's number).
    public var opusPayloadType: UInt8
    /// The payload type for telephone-event in our offers (answers echo the offer's).
    public var telephoneEventPayloadType: UInt8
    /// The packet time in ms we offer, and use when an offer gives none or a strange one.
    public var ptime: Int
    /// How many common codecs an answer lists; 1 (the default) keeps both directions
    /// on one codec, which is what a transcoding B2BUA wants.
    public var maxCodecsInAnswer: Int
    /// Whether `a=rtcp-mux` is accepted when offered (RFC 5761 §5.1.1). Never offered.
    public var acceptsRTCPMux: Bool
    /// The SDES-SRTP policy.
    public var srtp: SRTPPolicy
    /// The SRTP suites we accept, most preferred first.
    public var srtpSuites: [CryptoAttribute.Suite]
    /// The Opus `a=fmtp` parameters we send (RFC 7587 §6.1).
    public var opusFormatParameters: String
    /// The `s=` line.
    public var sessionName: String

    /// Creates a configuration; the defaults suit desk phones and PBXs.
    /// - Parameters:
    ///   - codecs: preference order; G.711 first is what phones and trunks expect.
    ///   - telephoneEvent: RFC 4733 DTMF.
    ///   - opusPayloadType: Opus PT in our offers (96 by default).
    ///   - telephoneEventPayloadType: telephone-event PT in our offers (101, as Asterisk).
    ///   - ptime: packet time in ms (20).
    ///   - maxCodecsInAnswer: audio codecs listed in an answer (1).
    ///   - acceptsRTCPMux: accept offered rtcp-mux (true).
    ///   - srtp: SDES policy (`.optional`).
    ///   - srtpSuites: accepted suites (`_80` then `_32`).
    ///   - opusFormatParameters: Opus fmtp (`useinbandfec=1`).
    ///   - sessionName: `s=` (`wagate`).
    public init(
        codecs: [AudioCodec] = [.pcmu, .pcma, .g722, .opus],
        telephoneEvent: Bool = true,
        opusPayloadType: UInt8 = 96,
        telephoneEventPayloadType: UInt8 = 101,
        ptime: Int = 20,
        maxCodecsInAnswer: Int = 1,
        acceptsRTCPMux: Bool = true,
        srtp: SRTPPolicy = .optional,
        srtpSuites: [CryptoAttribute.Suite] = [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32],
        opusFormatParameters: String = "useinbandfec=1",
        sessionName: String = "wagate"
    ) {
        self.codecs = codecs
        self.telephoneEvent = telephoneEvent
        self.opusPayloadType = opusPayloadType
        self.telephoneEventPayloadType = telephoneEventPayloadType
        self.ptime = ptime
        self.maxCodecsInAnswer = maxCodecsInAnswer
        self.acceptsRTCPMux = acceptsRTCPMux
        self.srtp = srtp
        self.srtpSuites = srtpSuites
        self.opusFormatParameters = opusFormatParameters
        self.sessionName = sessionName
    }
}

/// The per-call inputs of SIP-side offer/answer: nothing here is generated inside
/// the `SDP` module (no randomness, no clock, no sockets).
public struct SIPLocalMedia: Hashable, Sendable {
    /// Our RTP address for `c=` (the configured external address behind NAT).
    public var address: String
    /// Our RTP port.
    public var port: Int
    /// What we want to do: `sendrecv` normally, `sendonly`/`inactive` to hold.
    public var direction: MediaDirection
    /// The `o=` session id, stable for the dialog.
    public var sessionID: UInt64
    /// The `o=` session version, incremented by the caller for each new offer or answer.
    public var sessionVersion: UInt64
    /// Our SRTP master key and salt (30 bytes for the AES_CM_128 suites), required
    /// whenever SDES is offered or answered.
    public var sdesKeyAndSalt: [UInt8]?

    /// Creates per-call inputs.
    public init(
        address: String, port: Int, direction: MediaDirection = .sendrecv,
        sessionID: UInt64, sessionVersion: UInt64, sdesKeyAndSalt: [UInt8]? = nil
    ) {
        self.address = address
        self.port = port
        self.direction = direction
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.sdesKeyAndSalt = sdesKeyAndSalt
    }
}
