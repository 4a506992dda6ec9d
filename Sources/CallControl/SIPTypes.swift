// Value types exchanged with the SIP adapter. SDP is opaque text here: the
// media adapter reads and writes it.

/// Who placed an incoming INVITE, as established by the SIP layer
/// (digest authentication for users, source address or digest for trunks).
public enum SIPOrigin: Sendable, Hashable, CustomStringConvertible {
    /// An authenticated `type = user` account.
    case user(String)
    /// A trusted `type = trunk`.
    case trunk(String)

    /// `user:NAME` or `trunk:NAME`.
    public var description: String {
        switch self {
        case .user(let name): "user:\(name)"
        case .trunk(let name): "trunk:\(name)"
        }
    }
}

/// A new INVITE to a WhatsApp number, after the SIP layer sent 100 Trying and
/// authenticated the caller.
public struct IncomingInvite: Sendable, Equatable {
    /// The leg id the SIP adapter will recognise in ``SIPSignaling/respond(to:with:context:)``.
    public var leg: SIPLegID
    /// The INVITE's `Call-ID`.
    public var sipCallID: String
    /// The authenticated caller.
    public var origin: SIPOrigin
    /// The Request-URI user part as dialled (`+14085551234`, `0044…`, `07700…`).
    public var dialled: String
    /// The From user part (for records).
    public var fromUser: String?
    /// The From display name (for records).
    public var fromDisplayName: String?
    /// The SDP offer, or nil for a late-offer INVITE.
    public var sdpOffer: String?
    /// The `P-Preferred-Identity` header value (RFC 3325), if any: may name the business number to call from.
    public var preferredIdentity: String?
    /// The `P-Asserted-Identity` header value (RFC 3325), if any: names the
    /// business number to call from when a trunk (a trusted peer) sends it.
    public var assertedIdentity: String?

    /// Creates an INVITE value.
    public init(leg: SIPLegID, sipCallID: String, origin: SIPOrigin, dialled: String, fromUser: String? = nil,
                fromDisplayName: String? = nil, sdpOffer: String?, preferredIdentity: String? = nil,
                assertedIdentity: String? = nil) {
        self.leg = leg
        self.sipCallID = sipCallID
        self.origin = origin
        self.dialled = dialled
        self.fromUser = fromUser
        self.fromDisplayName = fromDisplayName
        self.sdpOffer = sdpOffer
        self.preferredIdentity = preferredIdentity
        self.assertedIdentity = assertedIdentity
    }
}

/// A `Reason` header value (RFC 3326): `SIP;cause=403;text="…"`.
public struct SIPReason: Sendable, Equatable, CustomStringConvertible {
    /// `SIP` or `Q.850`.
    public var protocolName: String
    /// The cause code.
    public var cause: Int
    /// The quoted text.
    public var text: String
    /// How the call ended, when call control hangs up a leg because the call is over
    /// (not sent on the wire: a browser's `ended {reason, by, detail}` is built from it).
    public var callEnding: CallEnding?

    /// Creates a reason.
    public init(protocolName: String = "SIP", cause: Int, text: String, callEnding: CallEnding? = nil) {
        self.protocolName = protocolName
        self.cause = cause
        self.text = text
        self.callEnding = callEnding
    }

    /// The header value.
    public var description: String { "\(protocolName);cause=\(cause);text=\"\(text)\"" }
}

/// A response call control asks the SIP layer to send to an incoming INVITE.
public struct SIPResponse: Sendable, Equatable {
    /// The status code (180, 183, 200, 403, 487, 503, …).
    public var status: Int
    /// The reason phrase; nil uses the standard phrase.
    public var phrase: String?
    /// Text for a `Warning: 399 <host> "…"` header (RFC 3261 section 20.43).
    public var warning: String?
    /// A `Reason` header (RFC 3326).
    public var reason: SIPReason?
    /// A `Retry-After` header in seconds (RFC 3261 section 20.33).
    public var retryAfter: Int?
    /// An SDP body (183 early media, 200 answer).
    public var sdp: String?

    /// Creates a response.
    public init(status: Int, phrase: String? = nil, warning: String? = nil, reason: SIPReason? = nil,
                retryAfter: Int? = nil, sdp: String? = nil) {
        self.status = status
        self.phrase = phrase
        self.warning = warning
        self.reason = reason
        self.retryAfter = retryAfter
        self.sdp = sdp
    }

    /// True for 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// One place an outgoing INVITE goes.
public enum SIPTarget: Sendable, Hashable, CustomStringConvertible {
    /// A registered contact of a user (the contact URI from its REGISTER).
    case contact(user: String, uri: String)
    /// A trunk; the SIP adapter renders its host, port, transport, `dial` user and
    /// credentials from the configuration (transport facts, not routing decisions).
    case trunk(String)

    /// True for a browser agent's contact (`wagate-agent:<session>`), rung by the agent adapter.
    public var isAgent: Bool {
        if case .contact(_, let uri) = self { return uri.hasPrefix(Self.agentScheme) }
        return false
    }

    /// The URI scheme of browser agents' contacts, beside registered phones'.
    public static let agentScheme = "wagate-agent:"

    /// The user or trunk name.
    public var ownerName: String {
        switch self {
        case .contact(let user, _): user
        case .trunk(let name): name
        }
    }

    /// `contact:USER:URI` or `trunk:NAME`.
    public var description: String {
        switch self {
        case .contact(let user, let uri): "contact:\(user):\(uri)"
        case .trunk(let name): "trunk:\(name)"
        }
    }
}

/// An INVITE call control asks the SIP layer to place: to one trunk, or forked
/// in parallel to several contacts (the SIP layer cancels the losing forks on
/// the first 2xx and reports one final response for the leg).
public struct OutgoingSIPCall: Sendable, Equatable {
    /// The id the SIP adapter must tag this leg's events with.
    public var leg: SIPLegID
    /// Where it rings.
    public var targets: [SIPTarget]
    /// The caller number for From and P-Asserted-Identity, final: `+E164`, or for a
    /// trunk already rewritten by its `outbound_strip`/`outbound_prefix`; the BSUID
    /// of a user Meta named only by BSUID. The SIP adapter writes it as is.
    public var callerNumber: String
    /// The display name (the WhatsApp profile name, or the username of a user
    /// known only by BSUID), when known.
    public var callerDisplayName: String?
    /// The SIP-side SDP offer produced by the media adapter.
    public var sdpOffer: String
    /// Extra headers about the caller (`X-WA-BSUID`, `X-WA-Username`), in order;
    /// the SIP adapter writes each through the SIP layer's header builder.
    public var headers: [SIPHeaderField]
    /// The business number the WhatsApp user called (`+E164`), when known.
    public var calledNumber: String?
    /// The called number's section name (`sales` of `[sales]` with `type = number`), when known.
    public var calledNumberName: String?
    /// A trunk's Request-URI user that overrides its `dial` (a callback reaches
    /// the original caller behind the trunk); nil uses `dial` or `calledNumber`.
    public var requestUser: String?
    /// Attended transfer: the dialog this INVITE replaces (RFC 3891).
    public var replaces: SIPReplacesTarget?
    /// The user who transferred the call here (a `Referred-By` header, RFC 3892).
    public var referredBy: String?
    /// The WhatsApp user calling, typed (a browser shows number, BSUID and name apart).
    public var caller: WhatsAppUser?
    /// What the WhatsApp user came through (a call button's CTA payload, a deeplink).
    public var context: InboundCallContext?

    /// Creates an outgoing call.
    public init(leg: SIPLegID, targets: [SIPTarget], callerNumber: String, callerDisplayName: String?,
                sdpOffer: String, headers: [SIPHeaderField] = [], calledNumber: String? = nil) {
        self.leg = leg
        self.targets = targets
        self.callerNumber = callerNumber
        self.callerDisplayName = callerDisplayName
        self.sdpOffer = sdpOffer
        self.headers = headers
        self.calledNumber = calledNumber
    }
}

/// One extension header call control asks for on an outgoing INVITE: a name
/// and a value as text (the SIP adapter checks both before writing them).
public struct SIPHeaderField: Sendable, Equatable {
    /// The header name, e.g. `X-WA-BSUID`.
    public var name: String
    /// The value, e.g. `US.13491208655302741918`.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A DTMF event: one of `0-9 * # A-D`, and how long it lasted.
public struct DTMFDigit: Sendable, Equatable {
    /// The digit.
    public var digit: Character
    /// The duration in milliseconds.
    public var durationMilliseconds: Int

    /// Creates a digit.
    public init(_ digit: Character, durationMilliseconds: Int = 160) {
        self.digit = digit
        self.durationMilliseconds = durationMilliseconds
    }
}

/// Something the SIP layer reports about one leg.
public enum SIPLegEvent: Sendable, Equatable {
    /// The caller cancelled its INVITE (the SIP layer already answered the CANCEL 200).
    case cancelled
    /// The ACK for our 2xx, with an SDP body in the late-offer case.
    case acknowledged(sdp: String?)
    /// The peer sent BYE (the SIP layer already answered it 200).
    case bye
    /// A provisional response on an outgoing leg (180, 183), with early SDP if any.
    case progress(status: Int, sdp: String?)
    /// A 2xx on an outgoing leg with the SDP answer; `by` is the party whose fork
    /// answered (a ring-group member's user, a browser agent's user, a trunk), when known.
    case answered(sdp: String?, sipCallID: String?, by: SIPOrigin? = nil)
    /// A final failure on an outgoing leg (after all its forks failed), or a
    /// transaction/dialog failure (408, 481, transport error) on any leg.
    case failed(status: Int, reason: String?)
    /// A DTMF digit received by SIP INFO.
    case dtmf(DTMFDigit)
    /// A re-INVITE or UPDATE inside the dialog (hold/resume, codec change,
    /// session refresh), waiting for call control's answer: its SDP offer, or
    /// nil when the 2xx must carry our offer and the ACK the answer.
    case offered(sdp: String?)
    /// The party on this answered leg asks to transfer the call (REFER, or a
    /// browser's `transfer`). The SIP layer already answered a REFER 202; call
    /// control reports progress with ``SIPSignaling/notifyTransfer(_:status:final:context:)``.
    case transferRequested(TransferRequest)
    /// A browser on this answered leg holds or mutes (no SDP renegotiation: the
    /// bridge sends the WhatsApp user silence and keeps Meta's leg fed).
    case mediaState(BusinessMediaState)
}
