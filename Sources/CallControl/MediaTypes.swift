// Value types exchanged with the media adapter. SDP stays opaque text.

/// The two SDPs the media adapter produces for an outbound call from the SIP offer.
public struct OutboundMediaSession: Sendable, Equatable {
    /// The WebRTC offer sent to Meta with `connect`.
    public var whatsAppOffer: String
    /// The SIP-side answer sent in 183 (ringback) and 200.
    public var sipAnswer: String

    /// Creates a value.
    public init(whatsAppOffer: String, sipAnswer: String) {
        self.whatsAppOffer = whatsAppOffer
        self.sipAnswer = sipAnswer
    }
}

/// The two SDPs the media adapter produces for an inbound call from Meta's offer.
public struct InboundMediaSession: Sendable, Equatable {
    /// The SIP-side offer sent in the INVITE(s).
    public var sipOffer: String
    /// The WebRTC answer sent with `pre_accept` and `accept` (the same text both times).
    public var whatsAppAnswer: String

    /// Creates a value.
    public init(sipOffer: String, whatsAppAnswer: String) {
        self.sipOffer = sipOffer
        self.whatsAppAnswer = whatsAppAnswer
    }
}

/// Why the media adapter could not do what was asked.
public struct MediaFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// The SDP could not be used (no common codec, no fingerprint, …): 488.
        case incompatibleSDP = "incompatible_sdp"
        /// No ports or another local resource problem: 503.
        case resources
        /// ICE or DTLS did not complete.
        case setupFailed = "setup_failed"
    }

    /// The kind.
    public var kind: Kind
    /// Details for logs and `Warning`.
    public var detail: String

    /// Creates a failure.
    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// `kind: detail`.
    public var description: String { "\(kind.rawValue): \(detail)" }
}

/// Which side of the bridge a media action is about.
public enum MediaSide: String, Sendable, Equatable {
    /// The RTP leg towards the SIP peer.
    case sip
    /// The WebRTC leg towards WhatsApp.
    case whatsApp = "whatsapp"
}

/// Something the media bridge reports about one call.
public enum MediaEvent: Sendable, Equatable {
    /// ICE and DTLS completed on the WhatsApp leg: media can flow as soon as allowed.
    case connected
    /// ICE or DTLS failed, or the bridge broke.
    case failed(String)
    /// No RTP from `side` for the configured time.
    case rtpTimeout(MediaSide)
    /// A DTMF digit arrived from `side`. `relayed` is true when the bridge already
    /// forwarded it in-band (RFC 4733) to the other side; false when the other side
    /// has no telephone-event and call control must forward it (SIP INFO).
    case dtmf(DTMFDigit, from: MediaSide, relayed: Bool)
}
