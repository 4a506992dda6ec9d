// The private states of CallStateMachine and the data each carries.

extension CallStateMachine {
    /// Where a call is.
    enum State: Sendable {
        /// An outbound call in a phase.
        case outbound(OutboundCall, OutboundPhase)
        /// An inbound call in a phase.
        case inbound(InboundCall, InboundPhase)
        /// An echo test call in a phase.
        case echo(IncomingInvite, EchoPhase)
        /// A callback call (permission granted after a refusal) in a phase.
        case callback(CallbackCall, CallbackPhase)
        /// An internal call (user to user or group) in a phase.
        case internalCall(InternalCall, InternalPhase)
        /// Answered, then transferred: the business side is being re-originated or moved.
        case transferred(TransferredCall, TransferPhase)
        /// Ended on both legs.
        case ended(CallEnding)

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .outbound(_, let phase): "outbound.\(phase.name)"
            case .inbound(_, let phase): "inbound.\(phase.name)"
            case .echo(_, let phase): "echo.\(phase.name)"
            case .callback(_, let phase): "callback.\(phase.name)"
            case .internalCall(_, let phase): "internal.\(phase.name)"
            case .transferred(_, let phase): "transferred.\(phase.name)"
            case .ended: "ended"
            }
        }
    }

    /// What an outbound call is, whatever its phase.
    struct OutboundCall: Sendable {
        /// The INVITE being answered.
        var invite: IncomingInvite
        /// The WhatsApp user dialled.
        var user: WhatsAppUser
        /// The caller's `permission_callback`: refused for lack of permission
        /// with a request sent, it is called back if permission arrives within this.
        var callbackWindow: Duration?
    }

    /// The phases of an outbound call.
    enum OutboundPhase: Sendable {
        /// Waiting for the permission check.
        case checkingPermission
        /// Waiting for the media bridge.
        case openingMedia
        /// `connect` sent; collecting RINGING, the answer, ACCEPTED and ICE/DTLS.
        case setup(OutboundSetup)
        /// 200 sent, bridged.
        case answered(OutboundMediaSession)

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .checkingPermission: "checking_permission"
            case .openingMedia: "opening_media"
            case .setup: "setup"
            case .answered: "answered"
            }
        }
    }

    /// What an outbound call collects between `connect` and the SIP 200, in any order.
    struct OutboundSetup: Sendable {
        /// The SDPs media produced.
        var session: OutboundMediaSession
        /// 180/183 sent.
        var alerted = false
        /// ACCEPTED seen.
        var accepted = false
        /// The user's SDP answer, once seen.
        var answerSDP: String?
        /// ICE/DTLS done.
        var mediaConnected = false

        /// Starts collecting.
        init(session: OutboundMediaSession) { self.session = session }

        /// ICE/DTLS done, ACCEPTED seen and the answer SDP applied: the SIP 200 may go.
        var readyToAnswer: Bool { accepted && answerSDP != nil && mediaConnected }
    }

    /// What an inbound call is, whatever its phase.
    struct InboundCall: Sendable {
        /// Meta's id.
        var wacid: WACID
        /// The WhatsApp user calling (profile name included).
        var caller: WhatsAppUser
        /// Meta's SDP offer.
        var offer: String?
        /// Where it rings.
        var plan: RingPlan
        /// What the user came through (CTA, deeplink), shown to a ringing browser.
        var context: InboundCallContext?
    }

    /// The phases of an inbound call.
    enum InboundPhase: Sendable {
        /// Waiting for the media bridge.
        case openingMedia
        /// SIP targets ring.
        case ringing(InboundRinging)
        /// SIP answered; `accept` in flight.
        case accepting(leg: SIPLegID, session: InboundMediaSession)
        /// Accepted, ACKed, bridged.
        case connected(leg: SIPLegID, session: InboundMediaSession)

        /// A short name for logs and tests.
        var name: String {
            switch self {
            case .openingMedia: "opening_media"
            case .ringing: "ringing"
            case .accepting: "accepting"
            case .connected: "connected"
            }
        }
    }

    /// An inbound call while SIP targets ring.
    struct InboundRinging: Sendable {
        /// The SDPs media produced.
        var session: InboundMediaSession
        /// The ringing stage.
        var stage: Int
        /// The stage's outgoing leg.
        var leg: SIPLegID
        /// pre_accept sent.
        var preAccepted = false
    }
}
